# ordercloud-console: the console on port 8000, the embedded sandbox seeded and ready.
#   docker build -t ordercloud-console .
#   docker run --rm -p 8000:8000 -v occ-data:/data ordercloud-console
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000

RUN useradd --create-home --uid 10001 app \
    && mkdir /data && chown app:app /data
WORKDIR /app

# The dependencies, with the PostgreSQL driver so that DATABASE_URL works in the image.
COPY pyproject.toml README.md ./
COPY console console
COPY sandbox sandbox
RUN pip install ".[postgres]"

# The code stays root's: the app user can write only to /data.
COPY . .
# Static files are collected at build time; the key is only for this one command.
RUN SECRET_KEY=collectstatic-only DATA_DIR=/tmp/build python manage.py collectstatic --no-input \
    && rm -rf /tmp/build

USER app
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
CMD ["bin/docker-start"]
