import type { Client } from 'openapi-fetch';
import { createCountersignClient, type paths } from '../../clients/typescript';
import { assertContract } from './contract';
import type { HttpClient } from './http-client';

export type ApiClient = Client<paths>;

/**
 * The generated client (clients/typescript) as a frontend would use it, with `token`
 * as its credential. Its types are openapi.json's, checked by tsc; every answer is
 * also held against openapi.json at run time, so a schema that says one thing while
 * the API does another fails the test that reads it.
 */
export function apiClient(http: HttpClient, token?: string): ApiClient {
  const client = createCountersignClient({ baseUrl: http.baseUrl, token });
  client.use({
    async onResponse({ request, response }) {
      const type = response.headers.get('content-type') ?? '';
      const text = await response.clone().text();
      const body: unknown = /json/.test(type) && text ? JSON.parse(text) : text;
      assertContract(request.method, request.url, response.status, type, body);
      return response;
    },
  });
  return client;
}
