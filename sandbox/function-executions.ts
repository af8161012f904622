import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** An input or output of a step, as the manifest's `functions` declares it. */
export interface StepParameter {
  type: string;
  title?: string;
  description?: string;
  is_required?: boolean;
}

/** A custom step (a function) as the manifest declares it, by its callback ID. */
export interface DeclaredStep {
  title: string;
  description?: string;
  input_parameters: Record<string, StepParameter>;
  output_parameters: Record<string, StepParameter>;
}

export type Completion =
  { kind: 'success'; outputs: Record<string, unknown> } | { kind: 'error'; error: string };

/** One run of a step in a workflow: its ID, the token Slack gave it, its inputs, and how it ended. */
export interface StepExecution {
  id: string;
  workflowExecutionId: string;
  callbackId: string;
  /** The run's own `xwfp-` token (the event's `bot_access_token`): the one that may complete it. */
  token: string;
  inputs: Record<string, unknown>;
  completion?: Completion;
}

/** The steps manifest.yml declares: what the stand-in checks a completion's outputs against. */
export function declaredSteps(
  path = new URL('../manifest.yml', import.meta.url),
): Record<string, DeclaredStep> {
  const manifest = parse(readFileSync(path, 'utf8')) as { functions?: Record<string, DeclaredStep> };
  return manifest.functions ?? {};
}

/** Whether a value is of a declared output's type, for the types the stand-in knows. */
function ofType(value: unknown, type: string): boolean {
  if (type === 'string' || type.startsWith('slack#/types/')) return typeof value === 'string';
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'number') return typeof value === 'number';
  return true;
}

/**
 * Workflow runs of the app's custom steps, as Slack keeps them (docs.slack.dev/reference/events/
 * function_executed, docs.slack.dev/reference/methods/functions.completeSuccess and
 * functions.completeError): each run has its own token, which alone may complete it (`access_denied`
 * otherwise), once (a completed run, like an unknown one, is `function_execution_not_found`); the
 * outputs must match the manifest's declared outputs (`parameter_validation_failed`).
 */
export class StepExecutions {
  readonly runs = new Map<string, StepExecution>();
  private seq = 0;

  constructor(private readonly steps: Record<string, DeclaredStep> = declaredSteps()) {}

  /** A workflow reaches the step: a new run, with its token. */
  start(callbackId: string, inputs: Record<string, unknown>): StepExecution {
    if (!this.steps[callbackId]) throw new Error(`the manifest declares no step ${callbackId}`);
    this.seq += 1;
    const run: StepExecution = {
      id: `Fx${String(this.seq).padStart(10, '0')}`,
      workflowExecutionId: `Wx${String(this.seq).padStart(10, '0')}`,
      callbackId,
      token: `xwfp-${this.seq}-${randomBytes(12).toString('hex')}`,
      inputs,
    };
    this.runs.set(run.id, run);
    return run;
  }

  /** Whether a token is one Slack gave a run (completed or not). */
  isRunToken(token: string): boolean {
    return [...this.runs.values()].some((run) => run.token === token);
  }

  /** The function_executed event of a run, as Slack sends it (the function's definition inside). */
  eventOf(run: StepExecution): Record<string, unknown> {
    const step = this.steps[run.callbackId] as DeclaredStep;
    const parameters = (declared: Record<string, StepParameter>) =>
      Object.entries(declared).map(([name, parameter]) => ({ name, ...parameter }));
    return {
      type: 'function_executed',
      function: {
        id: `Fn${run.callbackId.length}`,
        callback_id: run.callbackId,
        title: step.title,
        description: step.description ?? '',
        type: 'app',
        input_parameters: parameters(step.input_parameters),
        output_parameters: parameters(step.output_parameters),
        app_id: 'A1',
        date_created: 1_700_000_000,
        date_updated: 1_700_000_000,
        date_deleted: 0,
      },
      inputs: run.inputs,
      function_execution_id: run.id,
      workflow_execution_id: run.workflowExecutionId,
      bot_access_token: run.token,
    };
  }

  /** Answers functions.completeSuccess or functions.completeError, called with `token`. */
  answer(method: string, token: string, args: Record<string, unknown>): Record<string, unknown> {
    const run = this.runs.get(
      typeof args.function_execution_id === 'string' ? args.function_execution_id : '',
    );
    if (!run || run.completion) return { ok: false, error: 'function_execution_not_found' };
    if (token !== run.token) return { ok: false, error: 'access_denied' };
    if (method === 'functions.completeError') {
      if (typeof args.error !== 'string' || !args.error) return { ok: false, error: 'invalid_arguments' };
      run.completion = { kind: 'error', error: args.error };
      return { ok: true };
    }
    const outputs = args.outputs;
    if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
      return { ok: false, error: 'invalid_arguments' };
    }
    const problem = this.outputProblem(run, outputs as Record<string, unknown>);
    if (problem) return { ok: false, error: 'parameter_validation_failed', errors: [problem] };
    run.completion = { kind: 'success', outputs: outputs as Record<string, unknown> };
    return { ok: true };
  }

  private outputProblem(run: StepExecution, outputs: Record<string, unknown>): string | undefined {
    const declared = (this.steps[run.callbackId] as DeclaredStep).output_parameters;
    for (const name of Object.keys(outputs)) {
      if (!declared[name]) return `${name}: not a declared output`;
    }
    for (const [name, parameter] of Object.entries(declared)) {
      const value = outputs[name];
      if (value === undefined) {
        if (parameter.is_required) return `${name}: required`;
      } else if (!ofType(value, parameter.type)) return `${name}: not a ${parameter.type}`;
    }
    return undefined;
  }
}
