/** Request schemas of the OTP routes. */
import { Type } from '@lern/kit';
import { requestBody } from '../schemas.ts';

const Key = Type.String({ minLength: 3, maxLength: 320, pattern: '^\\S+$', description: 'Phone number or email address the code is for.' });

export const GenerateBody = requestBody(
  Type.Object(
    {
      key: Key,
      type: Type.Union([Type.Literal('phone'), Type.Literal('email')], { description: 'Channel the code is sent through.' }),
      template: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Message text; $otp and $otpExpiryInMinutes are replaced.' })),
      subject: Type.Optional(Type.String({ maxLength: 998, description: 'Email subject.' })),
    },
    { additionalProperties: true },
  ),
);

export const VerifyBody = requestBody(
  Type.Object({ key: Key, value: Type.String({ minLength: 4, maxLength: 10, pattern: '^[0-9]+$', description: 'The code.' }) }, { additionalProperties: true }),
);

export const VerifyResult = Type.Object({ response: Type.Literal('SUCCESS'), message: Type.Literal('SUCCESS') });
