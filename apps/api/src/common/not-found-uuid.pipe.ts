import { DomainError, isUuid } from '@app/domain';
import { Injectable, type PipeTransform } from '@nestjs/common';

/** A resource id in the path that is not even a UUID names nothing: 404, as an unknown one. */
@Injectable()
export class NotFoundUuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw DomainError.notFound('Resource');
    return value.toLowerCase();
  }
}
