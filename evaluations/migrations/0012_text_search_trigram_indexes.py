"""Trigram indexes for the good-examples search (comparisons/examples.py), on PostgreSQL only.

The search matches a phrase anywhere in a text, case-insensitively (``~*``): a B-tree index
cannot serve that, so every search read every list item and text (0.6 s at 10,000
evaluations). pg_trgm's GIN indexes serve ``~*`` and LIKE for phrases of three characters or
more. SQLite has no such index; its databases are small. Not in the models' Meta: Django has
no portable way to say "only on PostgreSQL", and makemigrations must not try to add them."""

from django.db import migrations

INDEXES = [
    ("evaluations_arealistitem", "text", "arealistitem_text_trgm"),
    ("evaluations_arearesult", "text", "arearesult_text_trgm"),
    ("evaluations_evaluation", "summary", "evaluation_summary_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0011_write_service_revisions_trash")]

    operations = [migrations.RunPython(create, drop)]
