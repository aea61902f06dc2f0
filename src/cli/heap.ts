import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the old generation grow to several times what is alive before it collects (its default growing factor
 * is up to 4× on a machine with memory to spare): a broad `trace --loki` that keeps ~80 MB alive at 300,000
 * events peaked at 465 MB of RSS, almost all of it garbage not yet collected. A growing factor of 1.3 keeps the
 * peak near what is alive (301 MB in the same run) at no measurable cost in time: JSON.parse's garbage is short-lived
 * and dies young. Set before the heap grows; V8 reads the factor at each full collection.
 */
const HEAP_GROWING_PERCENT = 30;

export function keepHeapNearLiveSize(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
