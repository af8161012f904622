import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import { parse } from 'yaml';
import { COMMAND, STEP } from '../src/slack/platform/ids.js';
import { BOT_SCOPES, SCOPES_OF_METHOD } from '../src/slack/platform/scopes.js';

const manifest = parse(readFileSync('manifest.yml', 'utf8')) as {
  features: {
    slash_commands: Array<{ command: string; usage_hint: string }>;
    shortcuts: Array<{ type: string; callback_id: string }>;
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  functions: Record<string, StepDeclaration>;
  settings: {
    org_deploy_enabled: boolean;
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { request_url: string; message_menu_options_url: string };
  };
};

interface StepParameter {
  type: string;
  is_required: boolean;
}
interface StepDeclaration {
  title: string;
  input_parameters: Record<string, StepParameter>;
  output_parameters: Record<string, StepParameter>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('manifest.yml', () => {
  it("validates against Slack's manifest schema", () => {
    const schema = JSON.parse(readFileSync('test/fixtures/manifest.schema.1.0.0.json', 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).to.deep.equal([]);
    expect(valid).to.equal(true);
  });

  it('declares the slash command the app listens to', () => {
    expect(readFileSync('src/slack/listeners/commands/index.ts', 'utf8')).to.contain('app.command(COMMAND,');
    expect(manifest.features.slash_commands.map((c) => c.command)).to.deep.equal([COMMAND]);
  });

  it('names every subcommand the command answers in its usage hint, and the README names each', () => {
    // Each subcommand is a pattern anchored at the start of the command's text: /^status$/i…
    const source = readFileSync('src/slack/listeners/commands/sip-reset.ts', 'utf8');
    const subcommands = [...source.matchAll(/\/\^\(?([a-z]+)/g)].map(([, word]) => word as string);
    expect(subcommands.sort()).to.deep.equal(['directory', 'help', 'history', 'lockout', 'status']);
    const [command] = manifest.features.slash_commands;
    const readme = readFileSync('README.md', 'utf8');
    for (const subcommand of subcommands) {
      expect(command?.usage_hint, subcommand).to.match(new RegExp(`\\b${subcommand}\\b`));
      expect(readme, subcommand).to.contain(`${COMMAND} ${subcommand}`);
    }
  });

  it('declares the global shortcut the app listens to', () => {
    const declared = readFileSync('src/slack/platform/ids.ts', 'utf8').match(/SHORTCUT = '([^']+)'/)?.[1];
    expect(manifest.features.shortcuts).to.deep.include({
      name: 'Reset a SIP password',
      type: 'global',
      callback_id: declared,
      description: 'Reset the password of a SIP phone account, with approval when needed',
    });
  });

  it('subscribes to the event the app listens to, with the Home tab on', () => {
    expect(readFileSync('src/slack/listeners/events/index.ts', 'utf8')).to.contain(
      "app.event('app_home_opened',",
    );
    expect(manifest.settings.event_subscriptions.bot_events).to.deep.equal([
      'app_home_opened',
      'function_executed',
    ]);
    expect(manifest.settings.event_subscriptions.request_url).to.equal(
      manifest.settings.interactivity.request_url,
    );
    expect(manifest.features.app_home.home_tab_enabled).to.equal(true);
  });

  it("sends the form's picker's suggestions to the endpoint that answers them", () => {
    expect(readFileSync('src/slack/listeners/options/index.ts', 'utf8')).to.contain(
      "app.options({ type: 'block_suggestion' },",
    );
    expect(manifest.settings.interactivity.message_menu_options_url).to.equal(
      manifest.settings.interactivity.request_url,
    );
  });

  it('asks for exactly the bot scopes the code uses', () => {
    const called = new Set<string>();
    for (const file of sourceFiles('src/slack')) {
      for (const [, method] of readFileSync(file, 'utf8').matchAll(/client\.([a-z]+\.[a-zA-Z.]+)\(/g)) {
        expect(SCOPES_OF_METHOD[method as string], `no scope known for ${method}`).not.to.equal(undefined);
        called.add(method as string);
      }
    }
    // A method listed but never called would ask for a scope the app does not use.
    expect([...called].sort()).to.deep.equal(Object.keys(SCOPES_OF_METHOD).sort());
    expect([...manifest.oauth_config.scopes.bot].sort()).to.deep.equal(BOT_SCOPES);
  });

  describe('the Workflow Builder step', () => {
    const step = manifest.functions[STEP.callbackId] as StepDeclaration;

    it('is declared under the callback ID the app listens to, with function_executed and org-ready on', () => {
      expect(readFileSync('src/slack/listeners/functions/index.ts', 'utf8')).to.contain(
        'app.function(STEP.callbackId,',
      );
      expect(Object.keys(manifest.functions)).to.deep.equal([STEP.callbackId]);
      expect(step.title).to.equal('Reset a SIP password');
      expect(manifest.settings.event_subscriptions.bot_events).to.include('function_executed');
      expect(manifest.settings.org_deploy_enabled).to.equal(true);
    });

    it('takes the inputs the listener reads, the requester set by Slack to the person running it', () => {
      expect(Object.keys(step.input_parameters).sort()).to.deep.equal(Object.values(STEP.inputs).sort());
      expect(step.input_parameters[STEP.inputs.requester]).to.include({
        type: 'slack#/types/user_context',
        is_required: true,
      });
      expect(step.input_parameters[STEP.inputs.account]).to.include({ type: 'string', is_required: true });
      // Optional in Slack: the listener says in words when it needs one.
      expect(step.input_parameters[STEP.inputs.voiceApp]?.is_required).to.equal(false);
      expect(step.input_parameters[STEP.inputs.reason]?.is_required).to.equal(false);
    });

    it('gives the outputs the listener completes with, strings, a request ID only when one was made', () => {
      expect(Object.keys(step.output_parameters).sort()).to.deep.equal(Object.values(STEP.outputs).sort());
      for (const output of Object.values(step.output_parameters)) expect(output.type).to.equal('string');
      expect(step.output_parameters[STEP.outputs.requestId]?.is_required).to.equal(false);
      expect(step.output_parameters[STEP.outputs.status]?.is_required).to.equal(true);
      expect(step.output_parameters[STEP.outputs.message]?.is_required).to.equal(true);
    });
  });
});
