import { IsArray, IsBoolean, IsEmail, IsString, IsUUID } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

// What the demo's routes answer, as classes with class-validator decorators: class-validator-jsonschema
// turns them into the document's schemas, and routing-controllers-openapi's @ResponseSchema links them.

export class UserProfile {
  @IsUUID()
  id!: string;

  @IsString()
  name!: string;

  @IsEmail()
  email!: string;

  @IsUUID()
  tenantId!: string;

  @IsArray()
  @IsString({ each: true })
  roles!: string[];
}

export class UserName {
  @IsString()
  name!: string;
}

export class AdminUsers {
  @IsArray()
  @JSONSchema({ items: { $ref: '#/components/schemas/UserName' } })
  users!: UserName[];
}

export class TenantInfo {
  @IsUUID()
  tenantId!: string;

  @IsUUID()
  clientId!: string;

  @IsBoolean()
  isAppOnly!: boolean;
}

export const DEMO_RESPONSE_CLASSES = [UserProfile, UserName, AdminUsers, TenantInfo];
