/**
 * The code of the legacy-customers adapter function (scenario 11). The legacy customer service speaks XML
 * over HTTP; API Gateway cannot parse XML (VTL has no XML reader) and a Lambda event must be JSON, so the
 * work is split: the request template maps the client's JSON onto the legacy field names, this function
 * writes those fields as the legacy XML document (escaped), posts it, and reads the reply document back
 * into flat JSON, which the response template maps onto the client's field names. Legacy faults become
 * tagged errors (`[NotFound] ...`, `[Invalid] ...`) that the route maps to 404 and 400; anything else
 * fails as a 500 whose text never reaches the client. Every request carries OWNER_ID, the caller's verified
 * sub from the request template: the legacy service keeps each customer record with its owner and answers a
 * lookup of another owner's customer as NOT_FOUND; the adapter refuses a request without it.
 *
 * Without LEGACY_URL, a stand-in answers the way the legacy system does, so the example runs on its own.
 */
export const LEGACY_ADAPTER_CODE = `
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// XML 1.0 allows no control characters but tab, newline and carriage return: they are dropped.
const xmlText = (v) => String(v ?? '').replace(/[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]/g, '')
  .replace(/[&<>"']/g, (c) => ENTITIES[c]);
const unescapeXml = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (e) => Object.keys(ENTITIES).find((k) => ENTITIES[k] === e));

function toXml(root, fields) {
  const body = Object.entries(fields).map(([k, v]) => '<' + k + '>' + xmlText(v) + '</' + k + '>').join('');
  return '<?xml version="1.0" encoding="UTF-8"?><' + root + '>' + body + '</' + root + '>';
}

/** The elements of a flat legacy document, e.g. <CUSTOMER><CUST_NO>7</CUST_NO></CUSTOMER> gives { CUST_NO: '7' }. */
function fromXml(xml) {
  const out = {};
  for (const m of xml.matchAll(/<([A-Z_]+)>([^<]*)<\\/\\1>/g)) out[m[1]] = unescapeXml(m[2]);
  return out;
}

/**
 * Stands in for the legacy service: lookups of C0 and requests without a name fail as the real one does. (The
 * real one also answers NOT_FOUND for another owner's customer; the stand-in keeps no records to compare.)
 */
function legacyStandIn(xml) {
  const req = fromXml(xml);
  if (req.OPERATION === 'LOOKUP' && req.CUST_NO === 'C0') {
    return toXml('FAULT', { FAULT_CODE: 'NOT_FOUND', FAULT_TEXT: 'customer ' + req.CUST_NO + ' does not exist' });
  }
  if (req.OPERATION === 'CREATE' && !req.CUST_NAME) return toXml('FAULT', { FAULT_CODE: 'INVALID', FAULT_TEXT: 'CUST_NAME is required' });
  return toXml('CUSTOMER', {
    CUST_NO: req.CUST_NO || 'C' + req.REQ_ID, CUST_NAME: req.CUST_NAME || 'Ada Lovelace', EMAIL_ADDR: req.EMAIL_ADDR || '',
    CREDIT_LIM: req.CREDIT_LIM || '0', STATUS_CD: 'A',
  });
}

async function callLegacy(xml) {
  if (!process.env.LEGACY_URL) return legacyStandIn(xml);
  const res = await fetch(process.env.LEGACY_URL, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
  if (res.status >= 500) throw new Error('legacy service answered ' + res.status);
  return res.text();
}

exports.handler = async (event) => {
  // Whose records: the request template always sends the caller; without it, nothing is looked up.
  if (!event.OWNER_ID) throw new Error("no OWNER_ID: the route must send the caller's sub");
  const reply = fromXml(await callLegacy(toXml('CUSTOMER_REQUEST', event)));
  if (reply.FAULT_CODE === 'NOT_FOUND') throw new Error('[NotFound] ' + reply.FAULT_TEXT);
  if (reply.FAULT_CODE === 'INVALID') throw new Error('[Invalid] ' + reply.FAULT_TEXT);
  if (reply.FAULT_CODE) throw new Error('legacy fault ' + reply.FAULT_CODE + ': ' + reply.FAULT_TEXT);
  return reply;
};
`;
