"""Gunicorn reads this file from the working directory; flags on its command line win.

Threaded workers: a long streamed export (/export/stances.csv of every stance) keeps its
worker's heartbeat going, where a sync worker is killed `timeout` seconds into the
download and the client gets a truncated file.
"""

import os

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
