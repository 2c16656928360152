import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Activity } from './activity.entity.js';
import {
  PARTICIPANT_ORGANISATION_TYPES,
  PARTICIPANT_SEXES,
  type ParticipantOrganisationType,
  type ParticipantSex,
} from './activity.constants.js';

/** How many participants of one organisation type and sex an activity had (counts, no names). */
@Entity('activity_participation')
@Index('activity_participation_uq', ['activityId', 'organisationType', 'sex'], { unique: true })
@Check('activity_participation_count_ck', '"count" > 0')
export class ActivityParticipation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id', foreignKeyConstraintName: 'activity_participation_activity_fk' })
  activity?: Relation<Activity>;

  @Column({ type: 'enum', enum: PARTICIPANT_ORGANISATION_TYPES, enumName: 'participant_organisation_type' })
  organisationType: ParticipantOrganisationType;

  @Column({ type: 'enum', enum: PARTICIPANT_SEXES, enumName: 'participant_sex' })
  sex: ParticipantSex;

  @Column({ type: 'integer' })
  count: number;
}
