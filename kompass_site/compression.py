"""Compressed answers: brotli where the client takes it, else gzip (Django's, with its random
bytes against BREACH).

An answer that varies on cookies (a logged-in page, a form with a CSRF token) may hold a secret
beside reflected input, so it keeps Django's gzip even for a brotli client; public pages get
brotli. Files WhiteNoise serves come compressed already, and images and zips (XLSX) are left
as they are."""

import brotli
from django.http import HttpRequest
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

# A middle quality: brotli 5 compresses HTML better than gzip 9, about as fast.
BROTLI_QUALITY = 5
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


def _accepted(request: HttpRequest) -> set[str]:
    accepted = set()
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").lower().split(","):
        name, _sep, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        if name and not (params and quality.replace(".", "").strip("0") == ""):
            accepted.add(name.strip())
    return accepted


def chosen_encoding(request: HttpRequest) -> str:
    """The encoding an answer to `request` gets: "br", "gzip" or "" (none)."""
    accepted = _accepted(request)
    if "br" in accepted:
        return "br"
    if "gzip" in accepted or "*" in accepted:
        return "gzip"
    return ""


def _brotli_sequence(sequence):
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    for item in sequence:
        data = compressor.process(bytes(item)) + compressor.flush()
        if data:
            yield data
    yield compressor.finish()


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        personal = "cookie" in response.get("Vary", "").lower()
        if chosen_encoding(request) != "br" or personal:
            return super().process_response(request, response)
        if not response.streaming and len(response.content) < 200:
            return response
        if response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if response.streaming:
            response.streaming_content = _brotli_sequence(response.streaming_content)
            del response.headers["Content-Length"]
        else:
            compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
