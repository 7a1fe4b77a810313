"""A small HTTP server on 127.0.0.1 for tests: the only web server ingest tests talk to."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Sends the body in pieces this many seconds apart (a server that trickles).
    trickle: float = 0.0
    # Called with the request headers; returns (status, headers, body) instead of the above.
    handler: Callable[[dict[str, str]], tuple[int, dict[str, str], bytes]] | None = None
    send_length: bool = True


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append((self.path, headers))
                route = server.routes.get(self.path) or Route(b"not found", 404, "text/plain")
                if route.delay:
                    time.sleep(route.delay)
                if route.handler:
                    status, extra, body = route.handler(headers)
                else:
                    status, extra, body = route.status, route.headers, route.body
                self.send_response(status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                for key, value in extra.items():
                    self.send_header(key, value)
                if route.send_length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                try:
                    if route.trickle:
                        for start in range(0, len(body), 64):
                            self.wfile.write(body[start : start + 64])
                            self.wfile.flush()
                            time.sleep(route.trickle)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if not route.send_length:
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def add(self, path: str, body: bytes | str = b"", **options) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def redirect(self, path: str, target: str, status: int = 302) -> str:
        return self.add(path, b"", status=status, headers={"Location": target}, content_type="")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def start(self) -> WebServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def article_html(title: str, paragraphs: list[str], *, site: str = "Test Gazette",
                 date: str = "2025-09-06") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
<article><h1>{title}</h1>
{body}
</article>
<footer>Copyright {site}. All rights reserved.</footer>
</body></html>"""
