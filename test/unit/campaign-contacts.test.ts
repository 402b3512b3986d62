import { ContactListRejected, contactsFromCsv, contactsFromJson } from '../../src/services/campaign-contacts';

describe('a campaign’s contact list', () => {
  it('reads a JSON array: To, and every other key as flow.data', () => {
    expect(contactsFromJson(JSON.stringify([{ To: '+14155550001', name: 'Ada', visits: 3 }, { To: ' whatsapp:+14155550002 ' }]), 10)).toEqual([
      { to: '+14155550001', data: { name: 'Ada', visits: 3 } },
      { to: 'whatsapp:+14155550002', data: {} },
    ]);
  });

  it('reads a CSV with a To column, the other columns as text', () => {
    const csv = '\ufeffTo,name,appointment\n+14155550001,Ada,"Mon, 9:00"\n\n+14155550002,Grace,\n';
    expect(contactsFromCsv(csv, 10)).toEqual([
      { to: '+14155550001', data: { name: 'Ada', appointment: 'Mon, 9:00' } },
      { to: '+14155550002', data: { name: 'Grace', appointment: '' } },
    ]);
  });

  it('keeps invalid numbers and repeated contacts, marked to be skipped with the reason', () => {
    const csv = 'To,name\n+14155550001,a\n555-0100,b\n+14155550001,c\n';
    expect(contactsFromCsv(csv, 10).map((c) => [c.to, c.skip])).toEqual([
      ['+14155550001', undefined],
      ['555-0100', 'invalid-number'],
      ['+14155550001', 'duplicate'],
    ]);
  });

  it('refuses a list that cannot be one, saying why', () => {
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(ContactListRejected);
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(() => contactsFromJson('{"To":"+1"}', 10))).toBe('Contacts must be a JSON array of objects, each with a To');
    expect(refused(() => contactsFromJson('[{"to":"+14155550001"}]', 10))).toBe('Contacts[0] has no To (a string)');
    expect(refused(() => contactsFromJson('[1]', 10))).toBe('Contacts[0] is not an object');
    expect(refused(() => contactsFromJson('[', 10))).toMatch(/^Contacts is not JSON/);
    expect(refused(() => contactsFromJson('[]', 10))).toBe('The list has no contacts');
    expect(refused(() => contactsFromCsv('Phone,name\n+14155550001,a\n', 10))).toBe('The CSV has no To column (columns: Phone, name)');
    expect(refused(() => contactsFromCsv('To\n+14155550001\n+14155550002\n+14155550003\n', 2))).toBe('The list has more than 2 contacts (LIMIT_CAMPAIGN_MAX_CONTACTS)');
    expect(refused(() => contactsFromCsv('To,a\n+14155550001,"unclosed\n', 10))).toMatch(/^The CSV cannot be read/);
  });

  it('reads 100,000 rows', () => {
    const csv = `To,n\n${Array.from({ length: 100_000 }, (_, i) => `+1415${String(i).padStart(7, '0')},${i}`).join('\n')}\n`;
    const contacts = contactsFromCsv(csv, 100_000);
    expect(contacts).toHaveLength(100_000);
    expect(contacts.filter((c) => c.skip)).toEqual([]);
  });
});
