/** How often each thing happened in a run, by the model's account: the report and the run's own checks use it. */
export class Counts {
  private readonly values = new Map<string, number>();

  add(name: string, n = 1): void {
    this.values.set(name, this.get(name) + n);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => a.localeCompare(b)));
  }
}
