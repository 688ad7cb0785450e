// Minimal entry point; the Fastify app is being built.
console.log('Jiangxin server: not built yet');
