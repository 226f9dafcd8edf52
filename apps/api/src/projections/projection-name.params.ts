import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class ProjectionNameParams {
  @ApiProperty({ pattern: '^[a-z][a-z0-9_]{0,62}$', example: 'account_health' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: '$property must be a projection name in snake_case, e.g. account_health' })
  readonly name!: string;
}
