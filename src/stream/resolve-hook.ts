/**
 * A module resolution hook for learners' detectors: they live in the learner's workspace, far from
 * this package's node_modules, yet import 'kafkajs', 'redis' and the kit 'lakehouse-lab/stream'.
 */
const KIT = new URL('./kit.js', import.meta.url).href;

type Next = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === 'lakehouse-lab/stream') return { url: KIT, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (err) {
    // A bare package name the learner's folder cannot resolve: the lab's own dependencies answer.
    if (/^[@a-z]/i.test(specifier) && !specifier.includes(':')) return next(specifier, { ...context, parentURL: import.meta.url });
    throw err;
  }
}
