/**
 * `serve --watch`: reloads the cloud assembly when its folder changes (a `cdk synth` or `cdk watch` in
 * another terminal) and hands each served API's port over to its new version, so clients keep the
 * same URL. A reload that cannot be loaded (a synth half written, a broken template) keeps the
 * previous version serving and says why.
 */
import * as fs from 'node:fs';
import { LocalApi, LocalApiOptions } from './local-api';

export interface AssemblyWatcherOptions {
  /** How long the folder must be quiet before a reload (a synth writes many files). @default 300 ms */
  readonly debounceMillis?: number;
  /** Where the reload lines go. */
  readonly log: (line: string) => void;
}

export class AssemblyWatcher {
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;
  private reloading: Promise<void> = Promise.resolve();

  /**
   * @param dir the assembly folder being served
   * @param served the APIs listening now (replaced in place by their reloaded versions)
   * @param apiOptions the options each API was loaded with (its stage is kept)
   */
  constructor(private readonly dir: string, private readonly served: LocalApi[], private readonly apiOptions: LocalApiOptions, private readonly options: AssemblyWatcherOptions) {}

  public start(): void {
    this.watcher = fs.watch(this.dir, { persistent: true }, (_event, file) => {
      if (file && !/\.json$/.test(String(file))) return; // manifests and templates; assets change with them
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.reloading = this.reloading.then(() => this.reload());
      }, this.options.debounceMillis ?? 300);
    });
  }

  /** Resolves when the reloads started so far are done (for tests). */
  public settled(): Promise<void> {
    return this.reloading;
  }

  public close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  /** Loads the assembly again and swaps every served API for its new version. */
  public async reload(): Promise<void> {
    let fresh: LocalApi[];
    try {
      fresh = LocalApi.allFromAssembly(this.dir, { ...this.apiOptions, stack: undefined, api: undefined });
    } catch (e) {
      this.options.log(`reload failed, still serving the previous version: ${(e as Error).message}`);
      return;
    }
    for (const [i, old] of this.served.entries()) {
      const next = fresh.find((a) => a.model.constructPath === old.model.constructPath);
      if (!next) {
        this.options.log(`${old.model.constructPath} is no longer in the assembly: still serving its previous version`);
        continue;
      }
      const stage = old.stageNames[0];
      const replacement = this.apiOptions.stage || next.stageNames[0] !== stage
        ? LocalApi.allFromAssembly(this.dir, { ...this.apiOptions, api: next.model.constructPath, stage })[0]
        : next;
      await old.handOver(replacement);
      this.served[i] = replacement;
      this.options.log(`reloaded ${replacement.model.constructPath} (${replacement.routes().length} routes)`);
    }
    for (const api of fresh) {
      if (!this.served.some((s) => s.model.constructPath === api.model.constructPath)) {
        this.options.log(`${api.model.constructPath} is new in the assembly: restart serve to serve it`);
      }
      if (!this.served.includes(api)) await api.close();
    }
  }
}
