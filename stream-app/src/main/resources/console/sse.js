// Server-sent events over fetch (EventSource cannot send the API key): reads a text/event-stream
// body and calls onEvent({id, event, data}) for each complete event; comment lines are skipped.
'use strict';

/* exported readEventStream */
async function readEventStream(response, onEvent, signal) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let event = { id: '', event: 'message', data: [] };
  const dispatch = () => {
    if (event.data.length > 0) {
      onEvent({ id: event.id, event: event.event || 'message', data: event.data.join('\n') });
    }
    event = { id: '', event: 'message', data: [] };
  };
  const line = (text) => {
    if (text === '') {
      dispatch();
      return;
    }
    if (text.startsWith(':')) {
      return; // a comment: the server's keep-alive
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.substring(0, colon);
    let value = colon < 0 ? '' : text.substring(colon + 1);
    if (value.startsWith(' ')) {
      value = value.substring(1);
    }
    if (field === 'data') {
      event.data.push(value);
    } else if (field === 'event') {
      event.event = value;
    } else if (field === 'id') {
      event.id = value;
    }
  };
  while (!(signal && signal.aborted)) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const text = buffer.substring(0, end);
      buffer = buffer.substring(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      line(text);
    }
  }
  dispatch();
}
