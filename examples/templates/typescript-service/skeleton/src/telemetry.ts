// OpenTelemetry, loaded before the app (`node --require ./dist/telemetry.js`) so auto-instrumentation can patch
// http and friends. Exporters and sampling follow the standard OTEL_* environment variables
// (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, …), set in deploy/deployment.yaml.
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { NodeSDK } from '@opentelemetry/sdk-node';

const sdk = new NodeSDK({
  serviceName: process.env['OTEL_SERVICE_NAME'] ?? '${{ values.name }}',
  instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } })],
});

sdk.start();

process.on('SIGTERM', () => {
  sdk.shutdown().catch((err: unknown) => console.error('telemetry shutdown failed', err));
});
