import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Public } from '../access/access.decorators';
import { Returns } from '../common/views';

/** The nearest package.json above this file: the repository's, from the sources or from dist/. */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export class IndexView {
  @ApiProperty({ example: 'Countersign API' }) name!: string;
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({ example: { docs: '/docs', openapi: '/docs-json', health: '/health' } })
  links!: Record<string, string>;
}

@ApiTags('operations')
@Public()
@Controller()
export class IndexController {
  private readonly index: IndexView = {
    name: 'Countersign API',
    version: packageVersion(),
    links: { docs: '/docs', openapi: '/docs-json', health: '/health', signup: '/v1/auth/signup' },
  };

  @Get()
  @ApiOperation({ summary: 'What this is, and where to start' })
  @Returns(IndexView)
  get(): IndexView {
    return this.index;
  }
}
