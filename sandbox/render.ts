import type { Blocks, Sighting } from './slack-stub.js';

type Names = (id: string) => string;

/** Slack's markup as a person reads it: mentions by name, dates by their fallback, entities decoded. */
export function readable(text: string, name: Names): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => `@${name(id)}`)
    .replace(/<#([CG][A-Z0-9]+)>/g, (_, id: string) => name(id))
    .replace(/<!subteam\^(S[A-Z0-9]+)>/g, (_, id: string) => `@${name(id)}`)
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? String((value as { text?: unknown }).text ?? '') : '';
}

/** Block Kit as lines of text: headers, sections, fields, inputs and [buttons]. */
export function renderBlocks(blocks: Blocks, name: Names): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push(`== ${textOf(block.text)} ==`);
        break;
      case 'section': {
        if (block.text) lines.push(readable(textOf(block.text), name));
        const fields = (block.fields as unknown[] | undefined) ?? [];
        for (const field of fields) lines.push(`  ${readable(textOf(field), name).replace(/\n/g, ': ')}`);
        const accessory = block.accessory as { type?: string; text?: unknown } | undefined;
        if (accessory?.type === 'button') {
          lines.push(`  [${textOf(accessory.text)}]`);
          lines.push(...confirmLines(accessory as Record<string, unknown>, name));
        }
        break;
      }
      case 'divider':
        lines.push('────');
        break;
      case 'context':
        for (const element of (block.elements as unknown[]) ?? [])
          lines.push(`  (${readable(textOf(element), name)})`);
        break;
      case 'rich_text':
        for (const element of (block.elements as Array<{ elements?: unknown[] }>) ?? []) {
          lines.push(`    ${((element.elements ?? []) as unknown[]).map((e) => textOf(e)).join('')}`);
        }
        break;
      case 'input': {
        const element = block.element as {
          type?: string;
          initial_value?: string;
          initial_option?: { text: unknown };
          options?: unknown[];
        };
        const choices = element.options
          ? ` (one of: ${element.options.map((o) => textOf((o as { text: unknown }).text)).join(', ')})`
          : element.type === 'external_select'
            ? ' (type to search)'
            : '';
        const chosen =
          element.initial_value ?? (element.initial_option && textOf(element.initial_option.text));
        const initial = chosen ? ` = "${chosen}"` : '';
        lines.push(
          `  ${textOf(block.label)}${block.optional ? ' (optional)' : ''}: [____]${initial}${choices}`,
        );
        break;
      }
      case 'actions': {
        const elements = (block.elements as Array<Record<string, unknown>>) ?? [];
        lines.push(`  ${elements.map((e) => `[${textOf(e.text)}]`).join(' ')}`);
        for (const element of elements) lines.push(...confirmLines(element, name));
        break;
      }
      default:
        break;
    }
  }
  return lines;
}

/** A button's confirmation dialog, which Slack shows before it acts on the click. */
function confirmLines(button: Record<string, unknown>, name: Names): string[] {
  const confirm = button.confirm as Record<string, unknown> | undefined;
  if (!confirm) return [];
  return [
    `    (pressing [${textOf(button.text)}] first asks: "${textOf(confirm.title)}" ${readable(textOf(confirm.text), name)} [${textOf(confirm.deny)}] [${textOf(confirm.confirm)}])`,
  ];
}

/** One sighting as the lines a transcript prints. */
export function renderSighting(sighting: Sighting, name: Names): string[] {
  const who =
    sighting.audience === 'private'
      ? `${name(sighting.to)} sees privately`
      : sighting.to.startsWith('D')
        ? `${name(sighting.to.slice(1))} sees in their DM with the app`
        : `everyone in ${name(sighting.to)} sees`;
  const verb = {
    posted: 'a new message',
    updated: 'the message change to',
    deleted: 'the message disappear',
    opened: 'a form open',
    rebuilt: 'the form change to',
  }[sighting.action];
  const form = sighting.form;
  const head = `${who} ${verb}${form ? ` "${form.title}"` : ''}${sighting.action === 'deleted' ? '' : ':'}`;
  if (sighting.action === 'deleted') return [head];
  const body = sighting.blocks?.length
    ? renderBlocks(sighting.blocks, name)
    : [readable(sighting.text, name)];
  if (form) body.push(`  [${form.close}] [${form.submit}]`);
  return [head, ...body.flatMap((line) => line.split('\n')).map((line) => `    ${line}`)];
}
