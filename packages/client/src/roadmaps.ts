/**
 * `client.roadmaps`: plans of milestones; every change carries a reason and becomes a revision.
 * Imports only `@menteo/api/roadmaps`.
 * @module
 */
import {
  addMilestone, createRoadmap, getRoadmap, listRevisions, listRoadmaps, removeMilestone, updateMilestone,
  updateRoadmap,
  type AddMilestone, type CreateRoadmap, type RemoveMilestone, type UpdateMilestone, type UpdateRoadmap,
} from '@menteo/api/roadmaps';
import type { Transport } from './transport.js';
import type { CallOptions, ListOptions, ListQuery } from './types.js';

/** Builds the roadmaps namespace over a transport. */
export function roadmapsApi(t: Transport) {
  return {
    /** Roadmaps the caller can see, newest first; filter by room or owner. */
    list: (query?: ListQuery<typeof listRoadmaps>, options?: ListOptions) => t.list(listRoadmaps, { ...options, query }),
    /** One roadmap with its milestones. */
    get: (roadmapId: string, options?: CallOptions) => t.request(getRoadmap, { ...options, params: { roadmapId } }),
    /** Starts a room's roadmap. */
    create: (body: CreateRoadmap, options?: CallOptions) => t.request(createRoadmap, { ...options, body }),
    /**
     * Changes title, goal, start or horizon, with a `reason`. Send `baseVersion` (the roadmap's
     * `version` you edited) to get a `conflict` error instead of overwriting someone else's change.
     */
    update: (roadmapId: string, body: UpdateRoadmap, options?: CallOptions) =>
      t.request(updateRoadmap, { ...options, params: { roadmapId }, body }),
    /** Milestones; each change answers the whole updated roadmap. */
    milestones: {
      /** Adds a milestone, with a reason. */
      add: (roadmapId: string, body: AddMilestone, options?: CallOptions) =>
        t.request(addMilestone, { ...options, params: { roadmapId }, body }),
      /** Changes a milestone (status, due date, evidence…), with a reason. */
      update: (roadmapId: string, milestoneId: string, body: UpdateMilestone, options?: CallOptions) =>
        t.request(updateMilestone, { ...options, params: { roadmapId, milestoneId }, body }),
      /** Removes a milestone, with a reason (kept in the revision history). */
      remove: (roadmapId: string, milestoneId: string, body: RemoveMilestone, options?: CallOptions) =>
        t.request(removeMilestone, { ...options, params: { roadmapId, milestoneId }, body }),
    },
    /** The revision history. */
    revisions: {
      /** Every change with its reason, newest first. */
      list: (roadmapId: string, query?: ListQuery<typeof listRevisions>, options?: ListOptions) =>
        t.list(listRevisions, { ...options, params: { roadmapId }, query }),
    },
  };
}

/** The roadmaps namespace (`client.roadmaps`). */
export type RoadmapsApi = ReturnType<typeof roadmapsApi>;
