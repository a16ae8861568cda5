# syntax=docker/dockerfile:1
# Build: docker build -t roadmap-tracker .
# Run:   docker run -p 8000:8000 -e DATABASE_URL=postgresql+psycopg://user:pass@db/roadmap roadmap-tracker

FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY api ./api
RUN /opt/venv/bin/pip install .

FROM python:3.11-slim AS runtime
# Behind a proxy the public host name is not known here: set ALLOWED_HOSTS to it when deploying.
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////app/data/roadmap.db MIGRATIONS_PATH=/app/migrations \
    ALLOWED_HOSTS='["*"]'
RUN useradd --system --create-home --uid 10001 roadmap
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
# Migrations are read from the source tree beside the package.
COPY --chown=roadmap:roadmap migrations ./migrations
COPY --chown=roadmap:roadmap alembic.ini ./
RUN mkdir -p /app/data && chown roadmap:roadmap /app/data
# The default SQLite database; production sets DATABASE_URL to PostgreSQL instead.
VOLUME /app/data
USER roadmap
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "roadmap migrate && exec roadmap serve --host 0.0.0.0 --port 8000"]
