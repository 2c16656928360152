import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class LoginDto {
  @ApiProperty({ example: 'counsellor.oujda@tawjih.test' })
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password: string;

  @ApiPropertyOptional({ description: 'Six-digit code from the authenticator app, when enrolled' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'otp must be six digits' })
  otp?: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @MaxLength(200) refreshToken: string;
}

/** Sign-out ends the session named by the refresh token, or by the bearer when only that is at hand. */
export class LogoutDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) refreshToken?: string;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'The one-time token from the invitation or reset e-mail' })
  @IsString()
  @MaxLength(200)
  token: string;

  @ApiProperty() @IsString() @MaxLength(256) password: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(256) currentPassword: string;
  @ApiProperty() @IsString() @MaxLength(256) newPassword: string;
}

export class OtpDto {
  @ApiProperty() @Matches(/^\d{6}$/, { message: 'otp must be six digits' }) otp: string;
}

/** The access and refresh tokens of a session (auth.views.ts). */
export type { TokenPairView as TokenPair } from '../auth.views.js';
