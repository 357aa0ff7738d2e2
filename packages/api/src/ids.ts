/**
 * Identifier schemas of rooms, roadmaps and threads, kept apart so that modules referring to
 * each other's ids do not import each other's schemas.
 * @module
 */
import { id } from './common.js';

export const RoomId = id('room');
export const MessageId = id('msg');
export const NoteId = id('note');
export const ActionItemId = id('act');
export const ResourceId = id('res');
export const RoadmapId = id('rmap');
export const MilestoneId = id('mil');
export const RevisionId = id('rev');
export const ThreadId = id('thr');
export const PostId = id('post');
export const CommentId = id('cmt');
export const CheckInId = id('chk');
export const FeedbackId = id('fbk');
export const LearningId = id('lrn');
export const FeedbackRequestId = id('fbr');
export const ProgramId = id('prog');
export const CohortId = id('coh');
export const RoadmapTemplateId = id('tpl');
export const TemplateMilestoneId = id('tms');
export const EnrolmentImportId = id('imp');
