// The playground's page: a thin client. The server renders what each person sees (every text in it
// escaped); this sends what the person does and redraws on each change the server announces.

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const state = {
  user: '',
  session: '',
  place: params.get('place') ?? '',
  tz: params.get('tz') ?? 'UTC',
  modalKey: '',
  modalId: '',
};

function toast(text) {
  const box = $('toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 4000);
}

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session: state.session, ...body }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    toast(answer.error ?? `The playground answered HTTP ${response.status}.`);
    throw new Error(answer.error ?? String(response.status));
  }
  if (answer.error) toast(answer.error);
  return answer;
}

function keepUrl() {
  const next = new URLSearchParams({ as: state.user, tz: state.tz });
  if (state.place) next.set('place', state.place);
  history.replaceState(null, '', `?${next}`);
}

// ─── drawing ─────────────────────────────────────────────────────────────────────────────────────

let drawing = false;
let again = false;

async function refresh() {
  if (drawing) {
    again = true;
    return;
  }
  drawing = true;
  try {
    do {
      again = false;
      const query = new URLSearchParams({ session: state.session, place: state.place, tz: state.tz });
      const response = await fetch(`/api/view?${query}`);
      const view = await response.json();
      if (!response.ok) {
        toast(view.error ?? 'The playground could not draw this page.');
        return;
      }
      draw(view);
    } while (again);
  } finally {
    drawing = false;
  }
}

function draw(view) {
  if (view.place !== state.place) {
    state.place = view.place;
    keepUrl();
  }
  $('title').textContent = view.title;
  $('sidebar').innerHTML = view.sidebar;
  const main = $('main');
  const atBottom = main.scrollHeight - main.scrollTop - main.clientHeight < 40;
  main.innerHTML = view.main;
  if (atBottom) main.scrollTop = main.scrollHeight;
  for (const box of main.querySelectorAll('.typeahead.multi')) syncMulti(box);
  $('panel').innerHTML = view.panel;
  $('composer').hidden = !view.composer;
  drawModal(view.modal);
}

function drawModal(modal) {
  const layer = $('modal-layer');
  if (!modal) {
    layer.hidden = true;
    delete layer.dataset.key;
    state.modalKey = '';
    state.modalId = '';
    return;
  }
  if (modal.key === state.modalKey) return;
  // The same modal, updated by the app (views.update): Slack keeps what was typed in inputs it still has.
  const kept = modal.id === state.modalId ? typedValues() : {};
  state.modalKey = modal.key;
  state.modalId = modal.id;
  // Which version of the modal is drawn, for a test to wait for the app's views.update.
  layer.dataset.key = modal.key;
  $('modal-title').innerHTML = modal.title;
  $('modal-body').innerHTML = modal.body;
  restoreValues(kept);
  $('modal-close').innerHTML = modal.close;
  $('modal-submit').innerHTML = modal.submit;
  $('modal-submit').hidden = !modal.submit;
  $('modal-error').hidden = true;
  for (const box of $('modal-body').querySelectorAll('.typeahead.multi')) syncMulti(box);
  layer.hidden = false;
  $('modal-body').querySelector('input, textarea, select')?.focus();
}

// ─── where an element is, and what is typed in a form ──────────────────────────────────────────

function hostOf(element) {
  if (element.closest('#modal-body')) return { kind: 'modal', viewId: state.modalId };
  const host = element.closest('[data-host-kind]');
  if (!host) return undefined;
  const kind = host.dataset.hostKind;
  if (kind === 'message') return { kind, channel: host.dataset.channel, ts: host.dataset.ts };
  if (kind === 'ephemeral') return { kind, id: host.dataset.ephemeralId };
  if (kind === 'home') return { kind };
  return undefined;
}

function selectedOf(element) {
  if (element.matches('select')) {
    const option = element.selectedOptions[0];
    return option && option.value ? { value: option.value, text: option.textContent } : undefined;
  }
  const value = element.dataset.selectedValue;
  return value ? { value, text: element.dataset.selectedText ?? value } : undefined;
}

/** What the modal's inputs and selects hold, as view.state.values: by block ID, then action ID. */
function typedValues() {
  const values = {};
  for (const element of $('modal-body').querySelectorAll('[data-action-id]')) {
    if (element.matches('button')) continue;
    const blockId = element.dataset.blockId;
    const actionId = element.dataset.actionId;
    const entry = element.matches('.text-input')
      ? { value: element.value }
      : element.matches('.typeahead.multi')
        ? { selected_options: chosenOf(element) }
        : { selected_option: selectedOf(element) ?? null };
    values[blockId] = { ...values[blockId], [actionId]: entry };
  }
  return values;
}

function restoreValues(values) {
  for (const element of $('modal-body').querySelectorAll('[data-action-id]')) {
    const entry = values[element.dataset.blockId]?.[element.dataset.actionId];
    if (!entry) continue;
    if (element.matches('.text-input') && entry.value) element.value = entry.value;
    else if (element.matches('.typeahead.multi') && entry.selected_options) {
      element.querySelector('.chips').replaceChildren(...entry.selected_options.map(chipOf));
      syncMulti(element);
    } else if (element.matches('select') && entry.selected_option)
      element.value = entry.selected_option.value;
    else if (element.matches('.typeahead') && entry.selected_option) {
      element.dataset.selectedValue = entry.selected_option.value;
      element.dataset.selectedText = entry.selected_option.text;
      element.querySelector('.typeahead-input').value = entry.selected_option.text;
    }
  }
}

// ─── a multi-select: the options chosen, as chips ────────────────────────────────────────────────

/** The options a multi-select holds, in the order picked. */
function chosenOf(box) {
  return [...box.querySelectorAll('.chip')].map((chip) => ({
    value: chip.dataset.value,
    text: chip.dataset.text,
  }));
}

/** A chosen option's chip, as blocks.ts draws one (`chip`). */
function chipOf(option) {
  const chip = document.createElement('span');
  chip.className = 'chip';
  chip.dataset.value = option.value;
  chip.dataset.text = option.text;
  const text = document.createElement('span');
  text.className = 'chip-text';
  text.textContent = option.text;
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'chip-remove';
  remove.setAttribute('aria-label', 'Remove');
  remove.textContent = '×';
  chip.append(text, remove);
  return chip;
}

/** As Slack does at max_selected_items: no more typing until a chip is removed. */
function syncMulti(box) {
  const max = Number(box.dataset.maxSelected ?? Infinity);
  const full = box.querySelectorAll('.chip').length >= max;
  const input = box.querySelector('.typeahead-input');
  input.dataset.placeholder ??= input.placeholder;
  input.disabled = full;
  input.placeholder = full ? `${max} chosen: remove one to choose another` : input.dataset.placeholder;
  box.classList.toggle('full', full);
}

const dispatches = (box) => box.dataset.dispatch || box.closest('.block.input')?.dataset.dispatch;

async function removeChip(button) {
  const box = button.closest('.typeahead.multi');
  button.closest('.chip').remove();
  syncMulti(box);
  if (dispatches(box)) await act(box, { selectedOptions: chosenOf(box) });
}

function showFieldErrors(errors) {
  for (const block of $('modal-body').querySelectorAll('.block.input')) {
    const message = errors[block.dataset.blockId];
    const box = block.querySelector('.field-error');
    block.classList.toggle('has-error', Boolean(message));
    box.hidden = !message;
    box.textContent = message ?? '';
  }
}

// ─── what a person does ──────────────────────────────────────────────────────────────────────────

function confirmFirst(button) {
  const template = button.parentElement.querySelector('template.confirm-template');
  if (!template) return Promise.resolve(true);
  const layer = $('confirm-layer');
  layer.replaceChildren(template.content.cloneNode(true));
  layer.hidden = false;
  return new Promise((answer) => {
    const done = (ok) => {
      layer.hidden = true;
      layer.replaceChildren();
      answer(ok);
    };
    layer.querySelector('.confirm-ok').addEventListener('click', () => done(true));
    layer.querySelector('.confirm-deny').addEventListener('click', () => done(false));
  });
}

async function act(element, extra) {
  const host = hostOf(element);
  if (!host) return toast('Slack would not send anything for this.');
  await post('/api/action', {
    host,
    blockId: element.dataset.blockId,
    actionId: element.dataset.actionId,
    ...(host.kind === 'modal' ? { state: typedValues() } : {}),
    ...extra,
  });
}

async function pressButton(button) {
  if (!(await confirmFirst(button))) return;
  if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
  button.disabled = true;
  try {
    await act(button, { value: button.dataset.value ?? '' });
  } finally {
    button.disabled = false;
  }
}

async function goTo(place) {
  state.place = place;
  $('local-notes').replaceChildren();
  keepUrl();
  if (place === 'home') await post('/api/home', {});
  await refresh();
}

function localNote(text) {
  const note = document.createElement('div');
  note.className = 'msg ephemeral';
  const head = document.createElement('div');
  head.className = 'msg-head';
  head.innerHTML = '<span class="author">Slackbot</span><span class="only-you">Only visible to you</span>';
  const body = document.createElement('div');
  body.className = 'msg-body';
  body.textContent = text;
  note.append(head, body);
  $('local-notes').append(note);
}

let suggestionRound = 0;

async function suggest(input) {
  const box = input.closest('.typeahead');
  const list = box.querySelector('.suggestions');
  const multi = box.matches('.multi');
  if (!multi) {
    delete box.dataset.selectedValue;
    delete box.dataset.selectedText;
  }
  const query = input.value;
  if (query.length < Number(box.dataset.minQuery ?? 3)) {
    list.hidden = true;
    return;
  }
  const round = (suggestionRound += 1);
  const { options } = await post('/api/suggest', {
    host: hostOf(box),
    blockId: box.dataset.blockId,
    actionId: box.dataset.actionId,
    value: query,
  });
  if (round !== suggestionRound) return;
  // A multi-select offers what is not chosen yet.
  const chosen = new Set(multi ? chosenOf(box).map((option) => option.value) : []);
  const offered = options.filter((option) => !chosen.has(option.value));
  list.replaceChildren(
    ...offered.map((option) => {
      const item = document.createElement('li');
      item.textContent = option.group ? `${option.group} › ${option.text}` : option.text;
      item.dataset.value = option.value;
      item.dataset.text = option.text;
      return item;
    }),
  );
  if (offered.length === 0) {
    const none = document.createElement('li');
    none.className = 'empty';
    none.textContent = 'No matches';
    list.append(none);
  }
  list.hidden = false;
}

async function pick(item) {
  const box = item.closest('.typeahead');
  if (!item.dataset.value) return;
  const input = box.querySelector('.typeahead-input');
  if (box.matches('.multi')) {
    const option = { value: item.dataset.value, text: item.dataset.text };
    const already = chosenOf(box).some((chosen) => chosen.value === option.value);
    if (!already && !input.disabled) box.querySelector('.chips').append(chipOf(option));
    input.value = '';
    box.querySelector('.suggestions').hidden = true;
    syncMulti(box);
    if (!already && dispatches(box)) await act(box, { selectedOptions: chosenOf(box) });
    return;
  }
  box.dataset.selectedValue = item.dataset.value;
  box.dataset.selectedText = item.dataset.text;
  input.value = item.dataset.text;
  box.querySelector('.suggestions').hidden = true;
  if (dispatches(box)) await act(box, { selected: { value: item.dataset.value, text: item.dataset.text } });
}

document.addEventListener('click', (event) => {
  const target = event.target;
  const place = target.closest('a.place');
  if (place) {
    event.preventDefault();
    void goTo(place.dataset.place);
    return;
  }
  const button = target.closest('button.slack-button');
  if (button) {
    void pressButton(button);
    return;
  }
  const remove = target.closest('.chip-remove');
  if (remove) {
    void removeChip(remove);
    return;
  }
  const item = target.closest('.suggestions li');
  if (item) void pick(item);
});

document.addEventListener('change', (event) => {
  const select = event.target.closest('select.static-select');
  if (select && (select.dataset.dispatch || select.closest('.block.input')?.dataset.dispatch)) {
    void act(select, { selected: selectedOf(select) });
  }
});

document.addEventListener('input', (event) => {
  const input = event.target.closest('.typeahead-input');
  if (input) void suggest(input);
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  if (!text.startsWith('/')) {
    localNote('The app listens only to /sip-reset here: type the command to use it.');
    return;
  }
  await post('/api/command', { channel: state.place, text });
});

$('modal').addEventListener('submit', async (event) => {
  event.preventDefault();
  const submit = $('modal-submit');
  submit.disabled = true;
  try {
    const answer = await post('/api/submit', { viewId: state.modalId, values: typedValues() });
    $('modal-error').hidden = !answer.error;
    $('modal-error').textContent = answer.error ?? '';
    showFieldErrors(answer.errors ?? {});
  } finally {
    submit.disabled = false;
  }
});

for (const id of ['modal-close', 'modal-x']) {
  $(id).addEventListener('click', () => void post('/api/close', { viewId: state.modalId }));
}

// ─── start ───────────────────────────────────────────────────────────────────────────────────────

async function start() {
  const { people, timeZones } = await (await fetch('/api/people')).json();
  const me = people.find((p) => p.id === params.get('as')) ?? people[0];
  state.user = me.id;
  const person = $('person');
  for (const p of people) person.append(new Option(`${p.name} · ${p.role}`, p.id, false, p.id === me.id));
  person.addEventListener('change', () => {
    // Another person is another Slack client: a fresh page, as after signing in.
    location.search = `?${new URLSearchParams({ as: person.value, tz: state.tz })}`;
  });
  const language = $('language');
  language.value = me.locale;
  language.addEventListener(
    'change',
    () => void post('/api/language', { user: me.id, locale: language.value }),
  );
  const timezone = $('timezone');
  if (!timeZones.includes(state.tz)) state.tz = 'UTC';
  for (const zone of timeZones) timezone.append(new Option(zone, zone, false, zone === state.tz));
  timezone.addEventListener('change', () => {
    state.tz = timezone.value;
    keepUrl();
    void refresh();
  });
  ({ session: state.session } = await post('/api/session', { user: me.id }));
  if (state.place === 'home') await post('/api/home', {});
  new EventSource('/api/events').addEventListener('message', () => void refresh());
  await refresh();
  document.body.dataset.ready = 'true';
}

void start();
