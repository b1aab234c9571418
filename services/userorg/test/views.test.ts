/**
 * The user views: the API view masks personal data; the public view (what the open email/phone
 * lookups show a caller who may not read the user) keeps upstream's fields for that request and
 * drops roles and the rest.
 */
import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../src/records.ts';
import { publicUserView, userView } from '../src/users/views.ts';

const user: UserRecord = {
  id: 'u1', firstName: 'Ravi', lastName: 'Kumar', userName: 'ravi', email: 'ravi.kumar@example.com', phone: '9876543210', emailVerified: true,
  phoneVerified: false, countryCode: '+91', recoveryEmail: null, recoveryPhone: null, dob: '2000', gender: 'male', language: ['en'], subject: [],
  channel: 'ch', rootOrgId: 'o1', status: 1, isDeleted: false, roles: ['PUBLIC'], userType: 'teacher', userSubType: null,
  profileUserTypes: [{ type: 'teacher', subType: null }], profileLocation: [], profileDetails: null, locationIds: ['l1'], framework: {},
  managedBy: null, flagsValue: 0, tncAcceptedOn: null, tncAcceptedVersion: null, createdBy: null, createdDate: 'd', updatedBy: null, updatedDate: null,
};
const membership = { userId: 'u1', organisationId: 'o1', roles: ['ORG_ADMIN'], associationType: 1, isDeleted: false, orgJoinDate: 'd', addedBy: null, updatedBy: null, updatedDate: null };

describe('user views', () => {
  it('masks email and phone in the API view', () => {
    const view = userView(user, { organisations: [membership], roles: [{ role: 'ORG_ADMIN', scope: [{ organisationId: 'o1' }] }] });
    expect(view).toMatchObject({ email: 'ra********@example.com', phone: '******3210', gender: 'male' });
    expect(JSON.stringify(view)).not.toContain('ravi.kumar@');
  });

  it('the public view keeps upstream fields only, without roles', () => {
    const view = publicUserView(userView(user, { organisations: [membership], roles: [{ role: 'ORG_ADMIN', scope: [{ organisationId: 'o1' }] }] }));
    expect(view).toMatchObject({ id: 'u1', firstName: 'Ravi', email: 'ra********@example.com', roles: [], rootOrgId: 'o1' });
    for (const hidden of ['gender', 'language', 'emailVerified', 'phoneVerified', 'locationIds', 'userType']) expect(view, hidden).not.toHaveProperty(hidden);
    expect(view.organisations).toEqual([{ userId: 'u1', organisationId: 'o1', hashTagId: 'o1', associationType: 1, isDeleted: false, orgjoindate: 'd', addedBy: null, updatedBy: null, updatedDate: null }]);
  });
});
