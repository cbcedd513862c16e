# syntax=docker/dockerfile:1
# Stage 1: build the wheel and install the locked dependencies into a virtual environment.
FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.lock pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
COPY digests ./digests
# The lock is a constraints file: runtime dependencies only, at their locked versions.
RUN /opt/venv/bin/pip install -c requirements.lock .

# Stage 2: the runtime image, with no build tools and a non-root user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/necdigest.sqlite3 HEALTH_FILE=/data/heartbeat
RUN useradd --create-home --uid 10001 necdigest && mkdir /data && chown necdigest /data
COPY --from=build /opt/venv /opt/venv
USER 10001
WORKDIR /home/necdigest
VOLUME ["/data"]
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s CMD ["necdigest", "health"]
CMD ["necdigest", "run"]
