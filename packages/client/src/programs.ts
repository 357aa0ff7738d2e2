/**
 * Programs, cohorts, roadmap templates and enrolment (admins), and a room's decision about a
 * newer template version. Imports only `@menteo/api/programs`.
 *
 * Not part of `createClient`, like the integrations namespace, so widget bundles (the provider
 * builds `createClient`) never carry admin schemas; build it over any client or transport:
 * `const programs = programsApi(client)`.
 * @module
 */
import {
  createCohort, createCohortRoom, createEnrolmentImport, createProgram, createRoadmapTemplate, decideRoadmapTemplateUpdate,
  deleteCohort, deleteProgram, deleteRoadmapTemplate, enrol, getCohort, getEnrolmentImport, getProgram, getRoadmapTemplate,
  getRoadmapTemplateOrigin, linkCohortGroup, listCohortGroupLinks, listCohortRooms, listCohorts, listEnrolments, listPrograms,
  listRoadmapTemplates, listRoadmapTemplateVersions, unenrol, unlinkCohortGroup, updateCohort, updateProgram, updateRoadmapTemplate,
  type CohortRole, type CreateCohort, type CreateCohortRoom, type CreateEnrolmentImport, type CreateProgram,
  type CreateRoadmapTemplate, type DecideTemplateUpdate, type EnrolmentImport, type UpdateCohort, type UpdateProgram,
  type UpdateRoadmapTemplate,
} from '@menteo/api/programs';
import type { Transport } from './transport.js';
import type { CallOptions, ListOptions, ListQuery } from './types.js';

/** Options of `imports.run` in {@link ProgramsApi}. */
export interface RunImportOptions extends CallOptions {
  /** Called after every poll with the job as it stands: `processedRows` of `totalRows`. */
  onProgress?: ((job: EnrolmentImport) => void) | undefined;
  /** Milliseconds between polls; 250 by default. */
  pollInterval?: number | undefined;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds the programs namespace over a transport. */
export function programsApi(t: Transport) {
  const imports = {
    /** Starts an import (or a dry run) and answers the job at once (202); poll it with `get`. */
    create: (cohortId: string, body: CreateEnrolmentImport, options?: CallOptions) =>
      t.request(createEnrolmentImport, { ...options, params: { cohortId }, body }),
    /** An import's progress and report. */
    get: (importId: string, options?: CallOptions) => t.request(getEnrolmentImport, { ...options, params: { importId } }),
    /**
     * Starts an import and polls it until it is `completed` or `failed`, reporting progress:
     * the way to drive a progress bar. Answers the finished job with its rejected rows.
     */
    run: async (cohortId: string, body: CreateEnrolmentImport, options: RunImportOptions = {}): Promise<EnrolmentImport> => {
      const { onProgress, pollInterval = 250, ...call } = options;
      let job = await imports.create(cohortId, body, call);
      onProgress?.(job);
      while (job.status === 'queued' || job.status === 'running') {
        await sleep(pollInterval, call.signal);
        job = await imports.get(job.id, { signal: call.signal, headers: call.headers, timeout: call.timeout });
        onProgress?.(job);
      }
      return job;
    },
  };
  return {
    /** The organization's programs, newest first. */
    list: (query?: ListQuery<typeof listPrograms>, options?: ListOptions) => t.list(listPrograms, { ...options, query }),
    /** Starts a program. */
    create: (body: CreateProgram, options?: CallOptions) => t.request(createProgram, { ...options, body }),
    /** One program. */
    get: (programId: string, options?: CallOptions) => t.request(getProgram, { ...options, params: { programId } }),
    /** Renames, describes, archives or reopens a program. */
    update: (programId: string, body: UpdateProgram, options?: CallOptions) =>
      t.request(updateProgram, { ...options, params: { programId }, body }),
    /** Deletes a program without cohorts (`conflict` otherwise: archive it instead). */
    delete: (programId: string, options?: CallOptions) => t.request(deleteProgram, { ...options, params: { programId } }),
    /** Roadmap templates: each change is a new version, offered to running rooms. */
    templates: {
      /** A program's templates, newest first. */
      list: (programId: string, query?: ListQuery<typeof listRoadmapTemplates>, options?: ListOptions) =>
        t.list(listRoadmapTemplates, { ...options, params: { programId }, query }),
      /** Writes a template (version 1). */
      create: (programId: string, body: CreateRoadmapTemplate, options?: CallOptions) =>
        t.request(createRoadmapTemplate, { ...options, params: { programId }, body }),
      /** One template at its latest version. */
      get: (templateId: string, options?: CallOptions) => t.request(getRoadmapTemplate, { ...options, params: { templateId } }),
      /** Changes a template with a `note`; goal, horizon or milestones make a new version. */
      update: (templateId: string, body: UpdateRoadmapTemplate, options?: CallOptions) =>
        t.request(updateRoadmapTemplate, { ...options, params: { templateId }, body }),
      /** Deletes a template that no cohort or roadmap uses. */
      delete: (templateId: string, options?: CallOptions) => t.request(deleteRoadmapTemplate, { ...options, params: { templateId } }),
      /** Every version with its note, newest first. */
      versions: (templateId: string, query?: ListQuery<typeof listRoadmapTemplateVersions>, options?: ListOptions) =>
        t.list(listRoadmapTemplateVersions, { ...options, params: { templateId }, query }),
    },
    /** Cohorts, their enrolments, SCIM group links and rooms. */
    cohorts: {
      /** A program's cohorts, latest start first. */
      list: (programId: string, query?: ListQuery<typeof listCohorts>, options?: ListOptions) =>
        t.list(listCohorts, { ...options, params: { programId }, query }),
      /** Starts a cohort. */
      create: (programId: string, body: CreateCohort, options?: CallOptions) =>
        t.request(createCohort, { ...options, params: { programId }, body }),
      /** One cohort (admins, and the people enrolled in it). */
      get: (cohortId: string, options?: CallOptions) => t.request(getCohort, { ...options, params: { cohortId } }),
      /** Changes a cohort's name, dates or template (new rooms only). */
      update: (cohortId: string, body: UpdateCohort, options?: CallOptions) =>
        t.request(updateCohort, { ...options, params: { cohortId }, body }),
      /** Deletes a cohort without rooms. */
      delete: (cohortId: string, options?: CallOptions) => t.request(deleteCohort, { ...options, params: { cohortId } }),
      /** People enrolled, by enrolment time; filter by `role`. */
      enrolments: (cohortId: string, query?: ListQuery<typeof listEnrolments>, options?: ListOptions) =>
        t.list(listEnrolments, { ...options, params: { cohortId }, query }),
      /** Enrols a person as mentor or mentee; the same call again changes nothing. */
      enrol: (cohortId: string, personId: string, role: CohortRole, options?: CallOptions) =>
        t.request(enrol, { ...options, params: { cohortId, personId }, body: { role } }),
      /** Unenrols a person; unenrolling someone not enrolled is not an error. */
      unenrol: (cohortId: string, personId: string, options?: CallOptions) =>
        t.request(unenrol, { ...options, params: { cohortId, personId } }),
      /** SCIM groups mapped to cohort roles. */
      groups: {
        /** The cohort's group links. */
        list: (cohortId: string, query?: ListQuery<typeof listCohortGroupLinks>, options?: ListOptions) =>
          t.list(listCohortGroupLinks, { ...options, params: { cohortId }, query }),
        /** Maps a group to a role: its members are enrolled now and as they join, unenrolled as they leave. */
        link: (cohortId: string, groupId: string, role: CohortRole, options?: CallOptions) =>
          t.request(linkCohortGroup, { ...options, params: { cohortId, groupId }, body: { role } }),
        /** Stops following a group; the members it enrolled are unenrolled. */
        unlink: (cohortId: string, groupId: string, options?: CallOptions) =>
          t.request(unlinkCohortGroup, { ...options, params: { cohortId, groupId } }),
      },
      /** Rooms of the cohort. */
      rooms: {
        /** The cohort's rooms with their template state, newest first. */
        list: (cohortId: string, query?: ListQuery<typeof listCohortRooms>, options?: ListOptions) =>
          t.list(listCohortRooms, { ...options, params: { cohortId }, query }),
        /** Opens an enrolled pair's room; its roadmap starts from the cohort's template. */
        create: (cohortId: string, body: CreateCohortRoom, options?: CallOptions) =>
          t.request(createCohortRoom, { ...options, params: { cohortId }, body }),
      },
    },
    /** Enrolment imports from CSV text or rows, with a dry run and a report of rejected rows. */
    imports,
    /** A roadmap's template origin, for the room deciding about newer versions. */
    roadmapTemplate: {
      /** Where the roadmap came from and what adopting the latest version would change. */
      get: (roadmapId: string, options?: CallOptions) => t.request(getRoadmapTemplateOrigin, { ...options, params: { roadmapId } }),
      /** Adopts (a roadmap revision with `reason`) or declines the latest version. */
      decide: (roadmapId: string, body: DecideTemplateUpdate, options?: CallOptions) =>
        t.request(decideRoadmapTemplateUpdate, { ...options, params: { roadmapId }, body }),
    },
  };
}

/** The programs namespace (`programsApi(client)`). */
export type ProgramsApi = ReturnType<typeof programsApi>;
