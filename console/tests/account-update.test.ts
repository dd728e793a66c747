import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountUpdate } from '../src/pages/accounts/account-update';

const stored = [{ id: 7, number: '+13122000004', type: 'mobile', status: 'valid', isPrimary: true, autodialConsent: true, consentDate: '2025-01-01T00:00:00.000Z', consentSource: 'original_creditor' }];

describe('an account form as the update cms receives', () => {
  it('sends each phone whole: the edit over what the phone holds, without its row id', () => {
    const update = accountUpdate({ phones: [{ number: ' +13122000004 ', type: 'work', status: 'bad' }] }, stored);
    assert.deepEqual(update.phones, [{ number: '+13122000004', type: 'work', status: 'bad', isPrimary: true, autodialConsent: true, consentDate: '2025-01-01T00:00:00.000Z', consentSource: 'original_creditor' }]);
  });

  it('adds a new phone with no consent', () => {
    const update = accountUpdate({ phones: [...stored, { number: '(312) 555-0100', type: 'landline', status: 'valid' }] }, stored);
    assert.deepEqual((update.phones as unknown[])[1], { number: '(312) 555-0100', type: 'landline', status: 'valid', isPrimary: false, autodialConsent: false });
  });

  it('sends cleared text as null and leaves out what the form did not hold', () => {
    assert.deepEqual(accountUpdate({ city: '  ', status: 'dispute', nextActionDate: null }), { city: null, status: 'dispute', nextActionDate: null });
  });
});
