/*
 * doctor_render.h - `mqtune doctor` findings as text or as one JSON
 * document (render/render_doctor_text.c, render/render_doctor_json.c).
 * Renderers only print: 0, or -1 when writing failed.
 */
#ifndef MQTUNE_DOCTOR_RENDER_H
#define MQTUNE_DOCTOR_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "mqtune/doctor.h"

/*
 * Findings most severe first: warn and crit as blocks (title, evidence,
 * why, fix), ok and info as one line each (all of them with @verbose),
 * then the counts.
 */
int mq_render_doctor_text(FILE *f, const struct mq_findings *fs,
			  const struct mq_doc_facts *facts, bool verbose);
/* docs/json.md "doctor"; docs/schema/doctor.schema.json. */
int mq_render_doctor_json(FILE *f, const struct mq_findings *fs,
			  const struct mq_doc_facts *facts, const char *sysroot,
			  bool pretty);

#endif /* MQTUNE_DOCTOR_RENDER_H */
