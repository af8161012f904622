/**
 * What a test opened, closed newest first after it; an afterEach that runs it closes what a
 * beforeEach opened even when that beforeEach stopped half-way, and every step runs even if one fails.
 */
export class Cleanup {
  private steps: Array<() => Promise<void>> = [];

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    const steps = this.steps.reverse();
    this.steps = [];
    const failures: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
