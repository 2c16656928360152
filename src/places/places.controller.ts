import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { IdPipe } from '../common/params.js';
import { API } from '../common/api.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Can } from '../authorization/policies.js';
import { CreatePlaceDto, PlaceQuery, UpdatePlaceDto } from './dto/place.dto.js';
import { PlacesService } from './places.service.js';
import { ApiView } from '../common/api-views.js';
import { PlacePageView, PlaceView } from './places.views.js';

@ApiTags('places')
@ApiBearerAuth()
@Controller(`${API}/places`)
export class PlacesController {
  constructor(private readonly places: PlacesService) {}

  @Get()
  @ApiView(PlacePageView)
  @Can('read', 'Place')
  list(@Query() q: PlaceQuery) {
    return this.places.list(q);
  }

  @Get(':id')
  @ApiView(PlaceView)
  @Can('read', 'Place')
  get(@Param('id', IdPipe) id: string) {
    return this.places.get(id);
  }

  @Post()
  @ApiView(PlaceView, { status: 201 })
  @Can('create', 'Place')
  create(@Body() dto: CreatePlaceDto) {
    return this.places.create(dto);
  }

  @Patch(':id')
  @ApiView(PlaceView)
  @Can('update', 'Place')
  update(@Param('id', IdPipe) id: string, @Body() dto: UpdatePlaceDto) {
    return this.places.update(id, dto);
  }
}
