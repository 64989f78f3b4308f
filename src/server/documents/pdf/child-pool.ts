import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { decodeError, PdfRendererUnavailable, type TWireError } from './render-errors';

/** Server → child: one job. */
export interface TJobMessage<I> {
  id: number;
  input: I;
}

/** Child → server: the job's result or error, and the child's RSS after it (bytes). */
export type TResultMessage<O> = { id: number; rss: number } & ({ ok: true; value: O } | { ok: false; error: TWireError });

export interface ChildPoolOptions {
  /** The child's entry module (file URL). */
  entry: URL;
  /** Node flags of the child, e.g. the tsx loader. */
  execArgv: string[];
  /** Children working at once (each does one job at a time). */
  size: number;
  /** A child is replaced after this many jobs… */
  maxJobsPerChild: number;
  /** …or once the RSS it reports after a job reaches this many bytes. */
  maxRssBytes: number;
  /** A job that runs longer kills its child and fails with {@link PdfRendererUnavailable} `timeout`. */
  timeoutMs: number;
  /** Jobs waiting for a child beyond this many are refused at once (`busy`). */
  maxQueue: number;
}

interface Job<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: Error) => void;
}

interface Worker<I, O> {
  child: ChildProcess;
  jobs: number;
  rss: number;
  current?: { id: number; job: Job<I, O>; timer: NodeJS.Timeout };
}

/**
 * A small pool of forked child processes for work whose native memory cannot be freed in
 * the process that did it (the Typst compiler): each child takes one job at a time, jobs
 * wait in a FIFO queue, and a child is replaced after `maxJobsPerChild` jobs or when its
 * RSS passes `maxRssBytes`. A child that dies or times out fails only its own job; the next
 * job gets a new child. Idle children never keep the server process alive (they and their
 * IPC channels are unref'd; a busy channel is ref'd so an awaited job is not cut short),
 * and a child exits by itself when the server process goes away.
 */
export class ChildPool<I, O> {
  private readonly workers = new Set<Worker<I, O>>();
  private readonly queue: Job<I, O>[] = [];
  private nextId = 1;
  private closing = false;
  /** Jobs queued or running, and who waits for that to reach 0. */
  private pending = 0;
  private drained: (() => void)[] = [];

  constructor(private readonly options: ChildPoolOptions) {}

  /** Run one job in a child; rejects with the child's error rebuilt ({@link decodeError}). */
  run(input: I): Promise<O> {
    if (this.closing) return Promise.reject(new PdfRendererUnavailable('closed'));
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new PdfRendererUnavailable('busy'));
    this.pending++;
    const settled = () => {
      if (--this.pending === 0) this.drained.splice(0).forEach((f) => f());
    };
    return new Promise<O>((resolve, reject) => {
      this.queue.push({
        input,
        resolve: (v) => (settled(), resolve(v)),
        reject: (e) => (settled(), reject(e)),
      });
      this.dispatch();
    });
  }

  /** Children and their counters, for monitoring and benchmarks. */
  status(): { children: { pid: number | undefined; jobs: number; rss: number; busy: boolean }[]; queued: number } {
    return {
      children: [...this.workers].map((w) => ({ pid: w.child.pid, jobs: w.jobs, rss: w.rss, busy: !!w.current })),
      queued: this.queue.length,
    };
  }

  /** Let queued and running jobs finish, then end every child and wait for it to exit. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.pending > 0) await new Promise<void>((r) => this.drained.push(r));
    await Promise.all([...this.workers].map((w) => this.stop(w)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = [...this.workers].find((w) => !w.current);
      if (!worker) {
        if (this.workers.size >= this.options.size) return;
        worker = this.spawn();
      }
      this.start(worker, this.queue.shift()!);
    }
  }

  private spawn(): Worker<I, O> {
    const child = fork(this.options.entry, [], {
      execArgv: this.options.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker: Worker<I, O> = { child, jobs: 0, rss: 0 };
    this.workers.add(worker);
    child.unref();
    child.channel?.unref();
    child.on('message', (msg: TResultMessage<O>) => this.onResult(worker, msg));
    child.on('error', (err) => this.drop(worker, `${err.message}`));
    child.on('exit', (code, signal) => this.drop(worker, signal ? `signal ${signal}` : `exit code ${code}`));
    return worker;
  }

  private start(worker: Worker<I, O>, job: Job<I, O>): void {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      worker.current = undefined;
      this.workers.delete(worker);
      worker.child.kill('SIGKILL');
      job.reject(new PdfRendererUnavailable('timeout', `${this.options.timeoutMs} ms`));
      this.dispatch();
    }, this.options.timeoutMs);
    timer.unref();
    worker.current = { id, job, timer };
    worker.child.channel?.ref();
    worker.child.send({ id, input: job.input } satisfies TJobMessage<I>, (err) => {
      if (err) this.drop(worker, `send: ${err.message}`);
    });
  }

  private onResult(worker: Worker<I, O>, msg: TResultMessage<O>): void {
    const current = worker.current;
    if (!current || current.id !== msg.id) return;
    clearTimeout(current.timer);
    worker.current = undefined;
    worker.child.channel?.unref();
    worker.jobs++;
    worker.rss = msg.rss;
    if (msg.ok) current.job.resolve(msg.value);
    else current.job.reject(decodeError(msg.error));
    if (worker.jobs >= this.options.maxJobsPerChild || worker.rss >= this.options.maxRssBytes) {
      // Retire it and start the successor now, so its cold start (fonts, compiler) is
      // not paid by the next request.
      this.workers.delete(worker);
      void this.stop(worker);
      if (!this.closing && this.workers.size < this.options.size) this.spawn();
    }
    this.dispatch();
  }

  /** The child is gone (exit, spawn error, broken channel): fail its job, forget it. */
  private drop(worker: Worker<I, O>, why: string): void {
    const current = worker.current;
    const known = this.workers.delete(worker);
    worker.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.job.reject(new PdfRendererUnavailable('crashed', why));
    }
    if (!worker.child.killed && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    if (known) this.dispatch();
  }

  /** End a child that has no job: close its channel (it exits on disconnect), SIGKILL if it lingers. */
  private async stop(worker: Worker<I, O>): Promise<void> {
    const { child } = worker;
    this.workers.delete(worker);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit').catch(() => undefined);
    // whoever awaits this must not see the process end first (an unref'd child would let it)
    child.ref();
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    timer.unref();
    await exited;
    clearTimeout(timer);
  }
}
