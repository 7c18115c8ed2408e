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


class TrigramIndexes(migrations.operations.base.Operation):
    """The indexes above, on PostgreSQL; nothing elsewhere. A schema operation of its own,
    not RunPython (which the tests replay as data after a flush)."""

    reversible = True

    def state_forwards(self, app_label, state):
        pass  # not in the models' state: Django knows nothing of them

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        # A trusted extension since PostgreSQL 13: the database's owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column, name in INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for _table, _column, name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    def describe(self):
        return "Trigram indexes for the good-examples search (PostgreSQL)"


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0011_write_service_revisions_trash")]

    operations = [TrigramIndexes()]
