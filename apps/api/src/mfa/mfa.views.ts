import { ApiProperty } from '@nestjs/swagger';

export class TotpEnrolmentView {
  @ApiProperty({ description: 'base32, for typing into an authenticator app' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/Countersign:maya%40brand.example?issuer=Countersign&secret=…' })
  otpauthUrl!: string;
  @ApiProperty({ description: 'the otpauth URL as a QR code: a data URL of an SVG image' }) qrCode!: string;
}

export class RecoveryCodesView {
  @ApiProperty({
    type: [String],
    description: 'ten single-use codes for when the authenticator is lost; shown this once, kept only hashed',
  })
  recoveryCodes!: string[];
}
