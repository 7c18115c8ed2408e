"""ETag, Last-Modified and 304 for API answers: the page cache's own validators
(``kompass_site.caching.versioned``), without storing the answer, since every request counts
against the rate limit. A client that sends back the ETag or the date gets a 304 without a
query."""

from kompass_site.caching import versioned

MAX_AGE = 60  # seconds a client or proxy may reuse an answer without asking

conditional = versioned(max_age=MAX_AGE)
