import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { INCIDENT_PLACE_TYPES, INCIDENT_TYPES, TIME_ELAPSED, type IncidentPlaceType, type IncidentType, type TimeElapsed } from './cases.constants.js';
import { Case } from './case.entity.js';

/** An incident of violence (GBVIMS classification). Readable by the assigned counsellor and the supervisor only. */
@Entity('incident')
@Index('incident_case_idx', ['caseId', 'createdAt', 'id'])
export class Incident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'incident_case_fk' })
  case?: Relation<Case>;

  @Column({ type: 'enum', enum: INCIDENT_TYPES, enumName: 'incident_type' })
  type: IncidentType;

  /** When known (possibly approximate). */
  @Column({ type: 'date', nullable: true })
  incidentDate: string | null;

  @Column({ type: 'enum', enum: INCIDENT_PLACE_TYPES, enumName: 'incident_place_type' })
  placeType: IncidentPlaceType;

  /** GBVIMS time between the incident and the report; derived from the dates when both are known. */
  @Column({ type: 'enum', enum: TIME_ELAPSED, enumName: 'time_elapsed' })
  timeElapsed: TimeElapsed;

  @Column({ type: 'timestamptz' })
  reportedAt: Date;

  /** Optional account, encrypted; cleared by anonymisation. */
  @Column({ type: 'text', nullable: true })
  descriptionEnc: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
