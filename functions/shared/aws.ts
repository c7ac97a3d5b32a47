import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * SDK clients are created once per execution environment. Locally the SDK reaches DynamoDB Local and the
 * emulated services through the standard AWS_ENDPOINT_URL_<SERVICE> variables; nothing here knows.
 */
export const dynamodb = new DynamoDBClient({});

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
