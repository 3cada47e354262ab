import { createApp } from './app.js';

const port = Number(process.env['PORT'] ?? '${{ values.port }}');
const server = createApp();

server.listen(port, () => {
  console.log(JSON.stringify({ level: 'info', msg: 'listening', port }));
});

// Kubernetes sends SIGTERM before killing the pod: finish in-flight requests, then exit.
function shutdown(signal: string): void {
  console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
