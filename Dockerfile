# The web, worker and beat image. It installs exactly as `make install` does on a laptop.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/app/.venv/bin:$PATH"
RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app

COPY pyproject.toml Makefile README.md ./
RUN make install
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput

# uploads/ exists in the image so that the volume mounted there belongs to the app's user.
RUN useradd --system --home /app tracker && mkdir -p /app/uploads && chown -R tracker /app
USER tracker
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
