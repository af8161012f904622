import type { Blocks } from '../slack-stub.js';
import { escapeHtml, mrkdwn, plainText, type Viewer } from './mrkdwn.js';

/**
 * Block Kit as HTML, the kinds this app sends: header, section (text, fields, an accessory),
 * context, actions, divider, input, rich_text; buttons (with styles and `confirm`), plain text
 * inputs, static and external selects, multi external selects. A kind the app does not send shows as a marked gap, so a
 * contributor who adds one sees that the playground needs it too.
 */

type Json = Record<string, unknown>;

const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(object) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A text object: mrkdwn rendered, plain_text escaped. */
export function textObject(value: unknown, viewer: Viewer): string {
  const text = object(value);
  if (text.type === 'mrkdwn') return mrkdwn(str(text.text), viewer);
  return plainText(str(text.text), text.emoji !== false);
}

const attr = (name: string, value: unknown) =>
  value === undefined || value === null || value === '' ? '' : ` ${name}="${escapeHtml(String(value))}"`;

function unsupported(kind: string): string {
  return `<div class="unsupported">[${escapeHtml(kind)}: not drawn by the playground]</div>`;
}

function option(value: unknown, viewer: Viewer): { value: string; html: string } {
  const o = object(value);
  return { value: str(o.value), html: textObject(o.text, viewer) };
}

function confirmDialog(value: unknown, viewer: Viewer): string {
  const confirm = object(value);
  if (!confirm.text) return '';
  return `<template class="confirm-template"><div class="confirm"${attr('data-style', confirm.style)}><h3>${textObject(
    confirm.title,
    viewer,
  )}</h3><div class="confirm-text">${textObject(confirm.text, viewer)}</div><div class="confirm-buttons"><button type="button" class="btn confirm-deny">${textObject(
    confirm.deny,
    viewer,
  )}</button><button type="button" class="btn confirm-ok ${escapeHtml(str(confirm.style) || 'primary')}">${textObject(
    confirm.confirm,
    viewer,
  )}</button></div></div></template>`;
}

/**
 * A chosen option of a multi-select, as Slack shows it: a chip with its text and a remove cross.
 * The page adds the same for each option picked (page.js `chipOf`), and reads them back as the
 * element's `selected_options`.
 */
export function chip(value: string, text: string): string {
  return `<span class="chip"${attr('data-value', value)}${attr('data-text', text)}><span class="chip-text">${escapeHtml(
    text,
  )}</span><button type="button" class="chip-remove" aria-label="Remove">×</button></span>`;
}

/** An interactive element; `blockId` is the block it is in, which a click names. */
function element(value: unknown, blockId: string, viewer: Viewer, inInput: boolean): string {
  const el = object(value);
  const ids = `${attr('data-block-id', blockId)}${attr('data-action-id', el.action_id)}`;
  switch (el.type) {
    case 'button': {
      const style = str(el.style);
      return `<span class="button-wrap"><button type="button" class="btn slack-button${style ? ` ${escapeHtml(style)}` : ''}"${ids}${attr(
        'data-value',
        el.value,
      )}${attr('data-url', /^https?:\/\//i.test(str(el.url)) ? el.url : undefined)}>${textObject(el.text, viewer)}</button>${confirmDialog(el.confirm, viewer)}</span>`;
    }
    case 'plain_text_input': {
      const common = `class="text-input"${ids}${attr('maxlength', el.max_length)}${attr(
        'placeholder',
        object(el.placeholder).text,
      )}`;
      return el.multiline
        ? `<textarea ${common} rows="3">${escapeHtml(str(el.initial_value))}</textarea>`
        : `<input type="text" ${common}${attr('value', el.initial_value)}>`;
    }
    case 'static_select': {
      const groups = list(el.option_groups);
      const initial = str(object(el.initial_option).value);
      const opts = (options: unknown) =>
        list(options)
          .map((o) => option(o, viewer))
          .map(
            (o) =>
              `<option${attr('value', o.value)}${o.value === initial ? ' selected' : ''}>${o.html}</option>`,
          )
          .join('');
      const body = groups.length
        ? groups
            .map(
              (g) =>
                `<optgroup label="${escapeHtml(str(object(g.label).text))}">${opts(g.options)}</optgroup>`,
            )
            .join('')
        : opts(el.options);
      const placeholder = str(object(el.placeholder).text) || 'Select an item';
      return `<select class="static-select"${ids}${inInput ? '' : ' data-dispatch="true"'}><option value=""${
        initial ? '' : ' selected'
      }>${escapeHtml(placeholder)}</option>${body}</select>`;
    }
    case 'external_select': {
      const initial = object(el.initial_option);
      const placeholder = str(object(el.placeholder).text) || 'Type to search';
      return `<span class="typeahead"${ids}${attr('data-min-query', el.min_query_length ?? 3)}${
        inInput ? '' : ' data-dispatch="true"'
      }${attr('data-selected-value', initial.value)}${attr('data-selected-text', object(initial.text).text)}><input type="text" class="typeahead-input"${attr(
        'placeholder',
        placeholder,
      )}${attr('value', object(initial.text).text)} autocomplete="off"><ul class="suggestions" hidden></ul></span>`;
    }
    case 'multi_external_select': {
      const placeholder = str(object(el.placeholder).text) || 'Type to search';
      const chips = list(el.initial_options)
        .map((o) => chip(str(o.value), str(object(o.text).text)))
        .join('');
      return `<span class="typeahead multi"${ids}${attr('data-min-query', el.min_query_length ?? 3)}${attr(
        'data-max-selected',
        el.max_selected_items,
      )}${inInput ? '' : ' data-dispatch="true"'}><span class="chips">${chips}</span><input type="text" class="typeahead-input"${attr(
        'placeholder',
        placeholder,
      )} autocomplete="off"><ul class="suggestions" hidden></ul></span>`;
    }
    default:
      return unsupported(`element ${str(el.type) || '?'}`);
  }
}

function richText(value: unknown, viewer: Viewer): string {
  const inline = (items: unknown) =>
    list(items)
      .map((item) => {
        const style = object(item.style);
        let html: string;
        switch (item.type) {
          case 'text':
            html = escapeHtml(str(item.text));
            break;
          case 'link':
            html = /^(https?:|mailto:)/i.test(str(item.url))
              ? `<a href="${escapeHtml(str(item.url))}" target="_blank" rel="noopener noreferrer">${escapeHtml(
                  str(item.text) || str(item.url),
                )}</a>`
              : escapeHtml(str(item.text) || str(item.url));
            break;
          case 'user':
            html = `<span class="mention user">@${escapeHtml(viewer.name(str(item.user_id)))}</span>`;
            break;
          case 'usergroup':
            html = `<span class="mention group">@${escapeHtml(viewer.name(str(item.usergroup_id)))}</span>`;
            break;
          case 'channel':
            html = `<span class="mention channel">${escapeHtml(viewer.name(str(item.channel_id)))}</span>`;
            break;
          case 'emoji':
            html = plainText(`:${str(item.name)}:`);
            break;
          default:
            html = unsupported(`rich text ${str(item.type)}`);
        }
        if (style.code) html = `<code>${html}</code>`;
        if (style.bold) html = `<b>${html}</b>`;
        if (style.italic) html = `<i>${html}</i>`;
        if (style.strike) html = `<s>${html}</s>`;
        return html;
      })
      .join('');
  return list(object(value).elements)
    .map((part) => {
      switch (part.type) {
        case 'rich_text_section':
          return `<div>${inline(part.elements).replace(/\n/g, '<br>')}</div>`;
        case 'rich_text_preformatted':
          return `<pre class="pre">${inline(part.elements)}</pre>`;
        case 'rich_text_quote':
          return `<q class="quote">${inline(part.elements)}</q>`;
        case 'rich_text_list': {
          const tag = part.style === 'ordered' ? 'ol' : 'ul';
          const items = list(part.elements)
            .map((item) => `<li>${inline(item.elements)}</li>`)
            .join('');
          return `<${tag}>${items}</${tag}>`;
        }
        default:
          return unsupported(`rich text ${str(part.type)}`);
      }
    })
    .join('');
}

/** One block's HTML. */
function block(value: Json, index: number, viewer: Viewer): string {
  const blockId = str(value.block_id) || `b${index}`;
  const wrap = (kind: string, html: string, extra = '') =>
    `<div class="block ${kind}"${attr('data-block-id', blockId)}${extra}>${html}</div>`;
  switch (value.type) {
    case 'header':
      return wrap('header', `<h2>${textObject(value.text, viewer)}</h2>`);
    case 'divider':
      return wrap('divider', '<hr>');
    case 'section': {
      const text = value.text ? `<div class="section-text">${textObject(value.text, viewer)}</div>` : '';
      const fields = list(value.fields);
      const grid = fields.length
        ? `<div class="fields">${fields.map((f) => `<div class="field">${textObject(f, viewer)}</div>`).join('')}</div>`
        : '';
      const accessory = value.accessory
        ? `<div class="accessory">${element(value.accessory, blockId, viewer, false)}</div>`
        : '';
      return wrap('section', `<div class="section-body">${text}${grid}</div>${accessory}`);
    }
    case 'context':
      return wrap(
        'context',
        list(value.elements)
          .map((el) =>
            el.type === 'image'
              ? `<span class="image-alt">[${escapeHtml(str(el.alt_text))}]</span>`
              : `<span>${textObject(el, viewer)}</span>`,
          )
          .join(''),
      );
    case 'actions':
      return wrap(
        'actions',
        list(value.elements)
          .map((el) => element(el, blockId, viewer, false))
          .join(''),
      );
    case 'input': {
      const el = object(value.element);
      const label = `<label class="input-label">${textObject(value.label, viewer)}${
        value.optional ? ' <span class="optional">(optional)</span>' : ''
      }</label>`;
      const hint = value.hint ? `<div class="hint">${textObject(value.hint, viewer)}</div>` : '';
      return wrap(
        'input',
        `${label}${element(el, blockId, viewer, true)}<div class="field-error" role="alert" hidden></div>${hint}`,
        `${attr('data-element-type', el.type)}${attr('data-element-action-id', el.action_id)}${
          value.dispatch_action ? ' data-dispatch="true"' : ''
        }`,
      );
    }
    case 'rich_text':
      return wrap('rich-text', richText(value, viewer));
    default:
      return unsupported(`block ${str(value.type) || '?'}`);
  }
}

/** A list of blocks as HTML. */
export function renderBlocks(blocks: Blocks | undefined, viewer: Viewer): string {
  return (blocks ?? []).map((b, i) => block(object(b), i, viewer)).join('');
}

/** What a message shows: its blocks, or its text as mrkdwn when it has none (as Slack shows it). */
export function renderMessageBody(message: { text: string; blocks?: Blocks }, viewer: Viewer): string {
  return message.blocks?.length
    ? renderBlocks(message.blocks, viewer)
    : `<div class="block section"><div class="section-text">${mrkdwn(message.text, viewer)}</div></div>`;
}
