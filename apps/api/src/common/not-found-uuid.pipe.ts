import { DomainError } from '@app/domain';
import { Injectable, type PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A resource id in the path that is not even a UUID names nothing: 404, as an unknown one. */
@Injectable()
export class NotFoundUuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw DomainError.notFound('Resource');
    return value.toLowerCase();
  }
}
