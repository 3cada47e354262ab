"""HTTP entry point. Run with `opentelemetry-instrument uvicorn app.main:app` (see the Dockerfile)."""

from fastapi import FastAPI

SERVICE_NAME = "${{ values.name }}"
DESCRIPTION = ${{ values.description | dump }}

app = FastAPI(title=SERVICE_NAME, description=DESCRIPTION, version="0.1.0")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    """Readiness and liveness: the process is up and can take requests."""
    return {"status": "ok", "service": SERVICE_NAME}


@app.get("/")
def root() -> dict[str, str]:
    """What this service is."""
    return {"service": SERVICE_NAME, "description": DESCRIPTION}
