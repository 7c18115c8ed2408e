"""A small HTTP/1.1 client on asyncio streams, with keep-alive: cheap enough per request that
the load it makes on this machine's two cores is mostly the server's."""

import asyncio
import contextlib
import time
from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        started = time.perf_counter()
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        status, answer_headers, body = await self._read()
        seconds = time.perf_counter() - started
        if answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, answer_headers, body, seconds)

    async def _read(self) -> tuple[int, dict[str, str], bytes]:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if status in (204, 304):
            return status, headers, b""
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(part[:-2] for part in parts)
        else:
            body = await self.reader.read()
            await self.close()
        return status, headers, body


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    timeouts: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, share: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def load(
    host: str,
    port: int,
    paths: list[str],
    *,
    clients: int,
    seconds: float,
    timeout: float = 10.0,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """`clients` connections asking one after another for `seconds`; each request cycles
    through `paths`. A request unanswered after `timeout` seconds is a timeout; a status of
    500 or more, or a broken connection, an error."""
    result = LoadResult()
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**12))

    async def client() -> None:
        connection = Connection(host, port)
        while time.perf_counter() < deadline:
            path = paths[next(counter) % len(paths)]
            try:
                answer = await asyncio.wait_for(connection.get(path, headers), timeout)
            except TimeoutError:
                result.timeouts += 1
                await connection.close()
                continue
            except (OSError, asyncio.IncompleteReadError, ValueError):
                result.errors += 1
                await connection.close()
                await asyncio.sleep(0.01)
                continue
            result.requests += 1
            if answer.status >= 500:
                result.errors += 1
            result.latencies.append(answer.seconds)
        await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result
