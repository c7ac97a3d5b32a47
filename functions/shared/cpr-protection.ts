import { EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { requiredEnv } from './aws.ts';

/**
 * CPR numbers are encrypted under a customer-managed KMS key before they are stored, and found again only by
 * a keyed hash (KMS HMAC): without the key nobody can test a guessed CPR number against the table.
 */
const kms = new KMSClient({});
const cprKeyId = requiredEnv('CPR_KEY_ID');
const citizenHashKeyId = requiredEnv('CITIZEN_HASH_KEY_ID');

export async function citizenKeyFor(normalizedCpr: string): Promise<string> {
  const { Mac } = await kms.send(
    new GenerateMacCommand({
      KeyId: citizenHashKeyId,
      MacAlgorithm: 'HMAC_SHA_256',
      Message: new TextEncoder().encode(normalizedCpr),
    }),
  );
  if (!Mac) throw new Error('KMS returned no MAC');
  return Buffer.from(Mac).toString('base64url');
}

export async function encryptCpr(normalizedCpr: string, referralId: string): Promise<Uint8Array> {
  const { CiphertextBlob } = await kms.send(
    new EncryptCommand({
      KeyId: cprKeyId,
      Plaintext: new TextEncoder().encode(normalizedCpr),
      // Binds the ciphertext to its referral: it cannot be copied onto another record and decrypted there.
      EncryptionContext: { referralId },
    }),
  );
  if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
  return CiphertextBlob;
}
