import { ApiProperty } from '@nestjs/swagger';
import { PostView } from '../posts/post.views';

export class CalendarPostView extends PostView {
  @ApiProperty({ example: '2027-03-28T09:30:00+02:00', description: "scheduledAt in the calendar's zone" })
  localTime!: string;
}

export class CalendarDayView {
  @ApiProperty({ example: '2027-03-28', description: 'the local date' }) date!: string;
  @ApiProperty({ type: [CalendarPostView], description: 'in time order' }) posts!: CalendarPostView[];
}

/** Every day of the range in the zone, each with its posts. */
export class CalendarView {
  @ApiProperty({ example: 'Europe/Paris' }) timezone!: string;
  @ApiProperty({ example: '2027-03-01' }) from!: string;
  @ApiProperty({ example: '2027-03-31' }) to!: string;
  @ApiProperty({ type: [CalendarDayView] }) days!: CalendarDayView[];
}
