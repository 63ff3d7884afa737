import type { Writable } from 'node:stream';

/**
 * Text written to a stream in chunks of a few hundred kilobytes, waiting whenever the stream asks to
 * (backpressure), so an export of any size holds one chunk and one session, not the whole file.
 */
const CHUNK = 256 * 1024;

export class StreamSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await waitForDrain(this.stream);
  }
}

function waitForDrain(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', done);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the output closed before the export was written'));
    stream.once('drain', onDrain);
    stream.once('error', done);
    stream.once('close', onClose);
  });
}
