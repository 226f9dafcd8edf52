import { IdField } from '../../accounts/dto/fields';

export class EscalationIdParams {
  @IdField({ example: 'f3b1c2d4-5e6f-5a7b-8c9d-0e1f2a3b4c5d' })
  readonly escalationId!: string;
}
