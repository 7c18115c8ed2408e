"""Static files storage for production (`collectstatic` in `make build-prod`)."""

from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage


class IncrementalCompressedManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, brotli- and gzip-compressed files, compressing only the files that
    changed since the last collectstatic into the same STATIC_ROOT (brotli of the plotly
    bundle is most of a collectstatic's time). A hashed name stands for its content, so its
    compressed copies stay right however often post-processing rewrites it; any other file
    is copied only when its source is newer, so compressed copies newer than it are its own."""

    def compress_files(self, paths):
        hashed = set(self.hashed_files.values())
        fresh = [name for name in paths if not self._compressed(name, hashed=name in hashed)]
        return super().compress_files(fresh)

    def _compressed(self, name: str, *, hashed: bool) -> bool:
        path = Path(self.path(name))
        copies = [path.with_name(f"{path.name}.{suffix}") for suffix in ("gz", "br")]
        if hashed:
            return all(copy.exists() for copy in copies)
        mtime = path.stat().st_mtime
        return all(copy.exists() and copy.stat().st_mtime >= mtime for copy in copies)
