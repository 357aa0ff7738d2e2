/**
 * SCIM discovery documents: ServiceProviderConfig, ResourceTypes and Schemas (RFC 7643
 * sections 5–7). Identity providers read them to learn what this server supports.
 * @module
 */

/** Schema URNs. */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  spc: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** Largest page a list returns. */
export const MAX_PAGE = 200;

type Attr = Record<string, unknown>;

function attr(name: string, options: { type?: string; multi?: boolean; required?: boolean; unique?: string; mutability?: string; sub?: Attr[]; caseExact?: boolean; returned?: string; referenceTypes?: string[] } = {}): Attr {
  return {
    name,
    type: options.type ?? 'string',
    multiValued: options.multi ?? false,
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? 'readWrite',
    returned: options.returned ?? 'default',
    uniqueness: options.unique ?? 'none',
    ...(options.sub ? { subAttributes: options.sub } : {}),
    ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
  };
}

const multiValue = (extra: Attr[] = []): Attr[] => [attr('value'), attr('display'), attr('type'), attr('primary', { type: 'boolean' }), ...extra];

/** The schemas this server supports. */
export function schemas(baseUrl: string): Record<string, unknown>[] {
  const meta = (id: string) => ({ resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` });
  return [
    {
      schemas: [URN.schema],
      id: URN.user,
      name: 'User',
      description: 'A Menteo person',
      attributes: [
        attr('userName', { required: true, unique: 'server' }),
        attr('name', { type: 'complex', sub: [attr('formatted'), attr('familyName'), attr('givenName'), attr('middleName')] }),
        attr('displayName'),
        attr('title'),
        attr('active', { type: 'boolean' }),
        attr('emails', { type: 'complex', multi: true, sub: multiValue() }),
        attr('phoneNumbers', { type: 'complex', multi: true, sub: multiValue() }),
        attr('roles', { type: 'complex', multi: true, sub: multiValue() }),
        attr('groups', { type: 'complex', multi: true, mutability: 'readOnly', sub: [attr('value'), attr('display'), attr('$ref', { type: 'reference', referenceTypes: ['Group'] })] }),
      ],
      meta: meta(URN.user),
    },
    {
      schemas: [URN.schema],
      id: URN.enterprise,
      name: 'EnterpriseUser',
      description: 'Enterprise User',
      attributes: [
        attr('employeeNumber'),
        attr('department'),
        attr('organization'),
        attr('manager', { type: 'complex', sub: [attr('value'), attr('displayName', { mutability: 'readOnly' }), attr('$ref', { type: 'reference', referenceTypes: ['User'] })] }),
      ],
      meta: meta(URN.enterprise),
    },
    {
      schemas: [URN.schema],
      id: URN.group,
      name: 'Group',
      description: 'A group of Menteo people',
      attributes: [
        attr('displayName', { required: true, unique: 'server' }),
        attr('members', { type: 'complex', multi: true, sub: [attr('value', { mutability: 'immutable' }), attr('display'), attr('$ref', { type: 'reference', referenceTypes: ['User'] })] }),
      ],
      meta: meta(URN.group),
    },
  ];
}

/** The resource types this server supports. */
export function resourceTypes(baseUrl: string): Record<string, unknown>[] {
  return [
    {
      schemas: [URN.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [URN.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: URN.group,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

/** What this server supports (RFC 7643 section 5). */
export function serviceProviderConfig(baseUrl: string, documentationUri?: string): Record<string, unknown> {
  return {
    schemas: [URN.spc],
    ...(documentationUri ? { documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'A bearer token a Menteo admin creates with POST /v1/integrations/scim/tokens.', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** A list response (RFC 7644 section 3.4.2). */
export function listResponse(resources: unknown[], totalResults: number, startIndex: number): Record<string, unknown> {
  return { schemas: [URN.list], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
