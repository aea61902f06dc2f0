/**
 * The Loki emulator in a process of its own, for `bench:loki -- --broad`: the trace's memory is then measured
 * without the emulator's copy of the stream. Prints its URL on stdout; stops when stdin closes.
 */
import { LokiEmulator } from '../support/lokiEmulator';

const emu = new LokiEmulator();
emu.start().then((url) => {
  process.stdout.write(`${url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void emu.stop().then(() => process.exit(0));
  });
});
