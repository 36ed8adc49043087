import type { Page } from '@app/persistence';
import { HttpStatus, type Type } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

const pages = new Map<Type, Type>();

/** The schema of a page of `item`s, one class per item type (its name is the schema's). */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  class PageOfItems {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({ type: String, nullable: true, description: 'pass as ?cursor= for the next page' })
    nextCursor!: string | null;
  }
  Object.defineProperty(PageOfItems, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
  pages.set(item, PageOfItems);
  return PageOfItems;
}

/** What a route answers on success, as a view class (the schema a generated client types it with). */
export const Returns = (type: Type, status: HttpStatus = HttpStatus.OK): MethodDecorator =>
  ApiResponse({ status, type, description: HttpStatus[status] });
