# Production image: gunicorn serving the app; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 UV_COMPILE_BYTECODE=1
# WeasyPrint needs Pango; pg_dump/pg_restore serve the backup commands.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install uv && uv pip install --system -r pyproject.toml
COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic-only SITE_URL=https://collectstatic.invalid EMAIL_URL=dummymail:// python manage.py collectstatic --noinput -v0
RUN useradd --create-home opcc && mkdir -p /app/media && chown opcc /app/media
USER opcc
EXPOSE 8000
CMD ["gunicorn", "opcc.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
